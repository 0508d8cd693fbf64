namespace DurableHandoff.Dtfx;

/// <summary>A durable function the app registered, as the Node bridge lists it.</summary>
/// <param name="Name">The function name (the orchestrator or activity name).</param>
/// <param name="Kind">"orchestration" or "activity".</param>
public sealed record DurableFunction(string Name, string Kind);
