using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Microsoft.Azure.WebJobs.Host.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableHandoff.Dtfx;

/// <summary>Builds the WebJobs host: the Durable extension, the generated functions and the management server.</summary>
internal static class DtfxHost
{
    public static IHost Build(DtfxOptions options, NodeBridge bridge, IReadOnlyList<DurableFunction> functions)
    {
        var appFunctions = Forwarders.Generate(bridge, functions);
        return new HostBuilder()
            .ConfigureAppConfiguration(config => config.AddJsonFile(options.SettingsFile, optional: false))
            .ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.IncludeScopes = false;
                });
                // The engine's own lines (Host.Triggers.DurableTask) stay; the SDKs' request traces and
                // the WebJobs start-up dump only at warning and above.
                logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
                logging.AddFilter("Azure.Core", LogLevel.Warning);
                logging.AddFilter("Microsoft.Azure.WebJobs.Hosting", LogLevel.Warning);
                logging.AddFilter("DurableTask", LogLevel.Warning);
            })
            .ConfigureWebJobs(webJobs => webJobs.AddDurableTask())
            .ConfigureServices(services =>
            {
                services.AddSingleton<ITypeLocator>(new FixedTypeLocator(typeof(ClientFunctions), appFunctions));
#pragma warning disable CS0618 // IWebHookProvider is the only way to give the extension its webhook base outside the Functions host.
                services.AddSingleton<IWebHookProvider>(new FrontDoorWebhooks(options.WebhookUrl));
#pragma warning restore CS0618
            })
            .ConfigureWebHost(web => web
                .UseKestrel()
                .UseUrls("http://127.0.0.1:0")
                .Configure(app => app.Run(context => ManagementServer.HandleAsync(context, app.ApplicationServices))))
            .Build();
    }

    private sealed class FixedTypeLocator(params Type[] types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }

#pragma warning disable CS0618
    private sealed class FrontDoorWebhooks(Uri url) : IWebHookProvider
    {
        public Uri GetUrl(IExtensionConfigProvider extension) => url;
    }
#pragma warning restore CS0618
}
