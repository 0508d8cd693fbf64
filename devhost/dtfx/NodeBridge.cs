using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DurableHandoff.Dtfx;

/// <summary>
/// Calls the app's functions through the Node local host's bridge. A transport failure (the Node
/// host restarting, a dropped connection) is never reported as the function's failure: it is
/// retried until the bridge answers or this host stops, as the Functions host waits for a
/// restarted language worker. Only an answer from the app's code decides an invocation.
/// </summary>
public sealed class NodeBridge
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private readonly HttpClient http;
    private readonly CancellationTokenSource stopping = new();

    public NodeBridge(Uri baseUrl)
    {
        this.http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = baseUrl,
            // Activities call models and tools: their duration is the app's business, not a transport limit.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The process is stopping: calls in flight give up (the work item is abandoned, not failed).</summary>
    public void Stop() => this.stopping.Cancel();

    public async Task<IReadOnlyList<DurableFunction>> WaitForFunctionsAsync(CancellationToken cancellation)
    {
        var text = await this.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "functions"), cancellation)
            .ConfigureAwait(false);
        return JsonConvert.DeserializeObject<List<DurableFunction>>(text)
            ?? throw new InvalidOperationException("The Node bridge listed no functions.");
    }

    /// <summary>Runs one orchestrator episode; returns the orchestrator state JSON durable-functions produced.</summary>
    public Task<string> OrchestrateAsync(string name, string payload) =>
        this.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, $"orchestration/{Uri.EscapeDataString(name)}")
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            },
            CancellationToken.None);

    /// <summary>Runs one activity; returns its result as JSON (what the Functions host would store).</summary>
    public async Task<JToken> RunActivityAsync(string name, string? input, string? instanceId)
    {
        var text = await this.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"activity/{Uri.EscapeDataString(name)}")
                {
                    Content = new StringContent(input ?? string.Empty, Encoding.UTF8, "text/plain"),
                };
                if (input is null)
                {
                    request.Headers.Add("x-input-null", "1");
                }
                if (instanceId is not null)
                {
                    request.Headers.Add("x-instance-id", instanceId);
                }
                return request;
            },
            CancellationToken.None).ConfigureAwait(false);
        return JToken.Parse(text);
    }

    private async Task<string> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, this.stopping.Token);
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = build();
                response = await this.http.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException error) when (!linked.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 20 == 0)
                {
                    Console.Error.WriteLine($"dtfx: the Node bridge is not answering ({error.Message}); retrying.");
                }
                await Task.Delay(backoff, linked.Token).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return text;
                }
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // The bridge is up but its worker is not (starting or restarting): wait for it.
                    await Task.Delay(backoff, linked.Token).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    continue;
                }
                throw WorkerFailure(text);
            }
        }
    }

    /// <summary>
    /// The app's code failed. The Functions host reports a worker failure as an RpcException whose
    /// message is "Result: Failure\nException: ...\nStack: ..."; the extension parses exactly that
    /// shape (OutOfProcExceptionHelpers) to find the friendly message and, for orchestrators, the
    /// state after "$OutOfProcData$:". Thrown, not returned: a returned state with an error is not
    /// how the worker reports a failure, and the extension does not read it as one.
    /// </summary>
    private static Exception WorkerFailure(string body)
    {
        string message;
        string stack;
        try
        {
            var error = JObject.Parse(body);
            message = (string?)error["message"] ?? body;
            stack = (string?)error["stack"] ?? string.Empty;
        }
        catch (JsonException)
        {
            message = body;
            stack = string.Empty;
        }
        return new WorkerFailureException($"Result: Failure\nException: {message}\nStack: {stack}");
    }
}

/// <summary>The app's function failed (the message has the Functions host's RpcException shape).</summary>
public sealed class WorkerFailureException(string message) : Exception(message);
