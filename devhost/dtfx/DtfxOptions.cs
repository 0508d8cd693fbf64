namespace DurableHandoff.Dtfx;

/// <summary>The command line the Node local host passes.</summary>
internal sealed record DtfxOptions(Uri BridgeUrl, Uri WebhookUrl, string SettingsFile)
{
    public static DtfxOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        string Required(string name) =>
            values.TryGetValue(name, out var value) && value.Length > 0
                ? value
                : throw new ArgumentException($"{name} is required (the Node local host passes it).");
        return new DtfxOptions(new Uri(Required("--bridge")), new Uri(Required("--webhook")), Required("--settings"));
    }
}
