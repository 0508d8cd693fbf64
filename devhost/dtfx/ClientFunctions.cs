using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;

namespace DurableHandoff.Dtfx;

/// <summary>Functions the host calls itself (never triggered): the extension's durable client binding.</summary>
public static class ClientFunctions
{
    /// <summary>The JSON the extension gives a <c>durableClient</c> input binding of a Node function.</summary>
    // The analyzer does not know the string form, which is what the Functions host binds for Node.
#pragma warning disable DF0203
    [NoAutomaticTrigger]
    public static void ClientBindingJson([DurableClient] string json, string[] result) => result[0] = json;
#pragma warning restore DF0203
}
