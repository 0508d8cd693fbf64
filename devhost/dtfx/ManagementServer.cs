using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DurableHandoff.Dtfx;

/// <summary>
/// Serves the extension's own HTTP management API (HttpApiHandler, through the extension's
/// IAsyncConverter) to the Node front door, which forwards /runtime/webhooks/durabletask/... and
/// /durabletask/... here with the original Host header, so the URLs the extension builds point
/// back at the front door. GET /devhost/client-binding answers the durableClient binding JSON.
/// </summary>
internal static class ManagementServer
{
    public static int BoundPort(IHost host)
    {
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First()).Port;
    }

    public static async Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        if (context.Request.Path == "/devhost/client-binding")
        {
            var jobHost = services.GetRequiredService<IJobHost>();
            var result = new string[1];
            await jobHost.CallAsync(
                nameof(ClientFunctions) + "." + nameof(ClientFunctions.ClientBindingJson),
                new Dictionary<string, object?> { ["result"] = result });
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(result[0]);
            return;
        }
        var extension = services.GetServices<IExtensionConfigProvider>().OfType<DurableTaskExtension>().Single();
        var converter = (IAsyncConverter<HttpRequestMessage, HttpResponseMessage>)extension;
        using var request = ToRequestMessage(context.Request);
        using var response = await converter.ConvertAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        CopyHeaders(response.Headers, context.Response);
        CopyHeaders(response.Content.Headers, context.Response);
        context.Response.Headers.Remove("transfer-encoding");
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static HttpRequestMessage ToRequestMessage(HttpRequest request)
    {
        // The Host header is the front door's (the Node host forwards it), so the authority of the
        // URLs the extension builds is the front door's.
        var uri = new Uri($"http://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.ContentLength > 0 || request.Headers.ContainsKey("transfer-encoding"))
        {
            message.Content = new StreamContent(request.Body);
        }
        foreach (var (name, values) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        return message;
    }

    private static void CopyHeaders(HttpHeaders headers, HttpResponse response)
    {
        foreach (var (name, values) in headers)
        {
            response.Headers[name] = values.ToArray();
        }
    }
}
