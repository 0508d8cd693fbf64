// The real-engine host: the WebJobs SDK with Microsoft's Durable Functions extension on the Azure
// Storage backend (Azurite), started by the Node local host (devhost/real-engine), which passes:
//   --bridge <url>     the Node bridge that runs the app's orchestrator and activity functions
//   --webhook <url>    the front door's management API base, e.g. http://localhost:7071/runtime/webhooks/durabletask
//   --settings <file>  JSON with AzureWebJobs:extensions:DurableTask (host.json's durableTask section)
// and AzureWebJobsStorage in the environment. It serves the extension's management API on a
// loopback port it prints as "dtfx-ready <port>", and exits when its stdin closes (the Node host
// is gone, however it died), so it never outlives the host that owns it.
using DurableHandoff.Dtfx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Watch stdin from the first moment: if the Node host dies while this one is still starting (the
// bridge then never answers and the start-up would wait for it forever), exit at once.
var started = false;
var stdinClosed = Task.Run(() =>
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[256];
    while (stdin.Read(buffer, 0, buffer.Length) > 0)
    {
    }
    if (!Volatile.Read(ref started))
    {
        Environment.Exit(3);
    }
});

var options = DtfxOptions.Parse(args);
var bridge = new NodeBridge(options.BridgeUrl);
var functions = await bridge.WaitForFunctionsAsync(CancellationToken.None);
using var host = DtfxHost.Build(options, bridge, functions);
await host.StartAsync();
Volatile.Write(ref started, true);
var port = ManagementServer.BoundPort(host);
Console.Out.WriteLine($"dtfx-ready {port}");
Console.Out.Flush();

var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
// Bridge calls in flight (retrying a Node host that is gone) give up only once the host is
// stopping: the extension then sees a host shutdown, abandons the work item and retries it later,
// where a call given up before that would count as the app's function failing.
lifetime.ApplicationStopping.Register(bridge.Stop);
var stopping = Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
await Task.WhenAny(stdinClosed, stopping.ContinueWith(_ => { }, TaskScheduler.Default));
using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
{
    await host.StopAsync(deadline.Token);
}
return 0;
