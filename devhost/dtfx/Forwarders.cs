using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.DurableTask;
using Newtonsoft.Json.Linq;

namespace DurableHandoff.Dtfx;

/// <summary>
/// Generates one WebJobs function per durable function the app registered, as the Functions host
/// generates its function methods from the worker's metadata: an orchestrator gets
/// <c>[FunctionName(name)] Task&lt;string&gt; F([OrchestrationTrigger] string context)</c> (a
/// string parameter is what makes the extension speak the out-of-process JSON protocol to it),
/// an activity <c>Task&lt;JToken&gt; F([ActivityTrigger] string input, string instanceId)</c>.
/// Each body only calls <see cref="Forward"/> with its name.
/// </summary>
public static class Forwarders
{
    private static NodeBridge? bridge;

    public static Type Generate(NodeBridge nodeBridge, IReadOnlyList<DurableFunction> functions)
    {
        bridge = nodeBridge;
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("DurableHandoff.AppFunctions"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("DurableHandoff.AppFunctions");
        var type = module.DefineType(
            "DurableHandoff.AppFunctions.Functions",
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);
        var functionName = typeof(FunctionNameAttribute).GetConstructor([typeof(string)])!;
        var index = 0;
        foreach (var function in functions)
        {
            var orchestration = function.Kind == "orchestration";
            if (!orchestration && function.Kind != "activity")
            {
                continue;
            }
            var parameters = orchestration ? new[] { typeof(string) } : new[] { typeof(string), typeof(string) };
            var returns = orchestration ? typeof(Task<string>) : typeof(Task<JToken>);
            var method = type.DefineMethod(
                $"F{index++}",
                MethodAttributes.Public | MethodAttributes.Static,
                returns,
                parameters);
            method.SetCustomAttribute(new CustomAttributeBuilder(functionName, [function.Name]));
            var trigger = method.DefineParameter(1, ParameterAttributes.None, orchestration ? "context" : "input");
            var triggerAttribute = orchestration ? typeof(OrchestrationTriggerAttribute) : typeof(ActivityTriggerAttribute);
            trigger.SetCustomAttribute(new CustomAttributeBuilder(triggerAttribute.GetConstructor(Type.EmptyTypes)!, []));
            if (!orchestration)
            {
                // Bound by name from the activity trigger's binding data.
                method.DefineParameter(2, ParameterAttributes.None, "instanceId");
            }
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldstr, function.Name);
            il.Emit(OpCodes.Ldarg_0);
            if (orchestration)
            {
                il.Emit(OpCodes.Call, typeof(Forwarders).GetMethod(nameof(Orchestrate))!);
            }
            else
            {
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Call, typeof(Forwarders).GetMethod(nameof(RunActivity))!);
            }
            il.Emit(OpCodes.Ret);
        }
        return type.CreateType();
    }

    public static Task<string> Orchestrate(string name, string context) => Bridge.OrchestrateAsync(name, context);

    public static Task<JToken> RunActivity(string name, string? input, string? instanceId) =>
        Bridge.RunActivityAsync(name, input, instanceId);

    private static NodeBridge Bridge => bridge ?? throw new InvalidOperationException("No Node bridge.");
}
