using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cost;

/// <summary>
/// Runs the simulator's closed loop against the instrumented copy of the Core
/// (<see cref="IlCountingInstrumenter"/>): the Core and this simulator are loaded a second time into
/// their own load context, where the simulator binds to the instrumented Core, and
/// <see cref="TickCosts"/> runs there.
/// </summary>
public static class InstrumentedCore
{
    private static readonly object s_lock = new();
    private static readonly System.Collections.Generic.Dictionary<string, IsolatedContext> s_contexts = new();

    /// <summary>The Core this simulator runs (the one `cost` instruments unless told otherwise).</summary>
    public static string LoadedCorePath => typeof(ControlLoop).Assembly.Location;

    /// <summary>
    /// Whether the Core at <see cref="LoadedCorePath"/> was compiled without optimization (a Debug build):
    /// its IL has extra instructions (nop, stores and loads of temporaries) that a Release image has not.
    /// </summary>
    public static bool LoadedCoreIsUnoptimized =>
        typeof(ControlLoop).Assembly.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;

    /// <summary>
    /// Runs <paramref name="settings"/> for <paramref name="ticks"/> control ticks on the instrumented Core
    /// and returns each tick's IL instructions, model steps and supervisor mode.
    /// </summary>
    /// <param name="settings">The run.</param>
    /// <param name="ticks">Control ticks to run.</param>
    /// <param name="corePath">The compiled Core to instrument (default <see cref="LoadedCorePath"/>); it must be a build of the same sources.</param>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public static TickCost[] Measure(RunSettings settings, int ticks, string? corePath = null)
    {
        settings.Validate();
        IsolatedContext context = Context(corePath ?? LoadedCorePath);
        long[] flat;
        try
        {
            // One run at a time per context: the counter is one static field.
            lock (context)
            {
                flat = (long[])context.EntryPoint.Invoke(null, [JsonSerializer.Serialize(settings), ticks])!;
            }
        }
        catch (TargetInvocationException error) when (error.InnerException is ArgumentException argument)
        {
            throw new ArgumentException(argument.Message, argument);
        }

        var result = new TickCost[flat.Length / 3];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new TickCost(flat[3 * i], (int)flat[3 * i + 1], (EmbeddedMpc.Core.Safety.SupervisorMode)flat[3 * i + 2]);
        }

        return result;
    }

    private static IsolatedContext Context(string corePath)
    {
        lock (s_lock)
        {
            if (!s_contexts.TryGetValue(corePath, out IsolatedContext? context))
            {
                context = new IsolatedContext(corePath);
                s_contexts[corePath] = context;
            }

            return context;
        }
    }

    /// <summary>
    /// Called by reflection inside the isolated context (where <c>EmbeddedMpc.Core</c> is the instrumented
    /// copy): runs the closed loop and returns, per tick, the IL instructions the Core executed in
    /// <see cref="ControlLoop.Tick"/>, the model steps and the mode, flattened in threes.
    /// </summary>
    public static long[] TickCosts(string settingsJson, int ticks)
    {
        RunSettings settings = JsonSerializer.Deserialize<RunSettings>(settingsJson)!;
        Type counterType = typeof(ControlLoop).Assembly.GetType(IlCountingInstrumenter.CounterTypeName)
            ?? throw new InvalidOperationException("TickCosts runs only on the instrumented Core.");
        FieldInfo counter = counterType.GetField(IlCountingInstrumenter.CounterFieldName)!;
        var simulation = new ControlledRig(settings);
        var record = new TelemetryRecord();
        var result = new long[3 * ticks];
        for (int tick = 0; tick < ticks; tick++)
        {
            long before = (long)counter.GetValue(null)!;
            simulation.ControlTick(ref record);
            long after = (long)counter.GetValue(null)!;
            result[3 * tick] = after - before;
            result[3 * tick + 1] = record.ModelSteps;
            result[3 * tick + 2] = (long)record.Mode;
            simulation.AdvancePlant();
        }

        return result;
    }

    private sealed class IsolatedContext : AssemblyLoadContext
    {
        private readonly Assembly _core;

        public IsolatedContext(string sourceCorePath) : base("il-counting", isCollectible: false)
        {
            // Loaded from memory: nothing is written to disk.
            _core = LoadFromStream(new MemoryStream(IlCountingInstrumenter.Instrument(sourceCorePath)));
            Assembly simulator = LoadFromAssemblyPath(typeof(InstrumentedCore).Assembly.Location);
            EntryPoint = simulator.GetType(typeof(InstrumentedCore).FullName!)!.GetMethod(nameof(TickCosts))!;
        }

        public MethodInfo EntryPoint { get; }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == typeof(ControlLoop).Assembly.GetName().Name)
            {
                return _core;
            }

            // Everything else (the framework, packages) is shared with the default context.
            return null;
        }
    }
}

/// <summary>One control tick as the IL counter saw it.</summary>
/// <param name="IlInstructions">IL instructions the Core executed in the tick.</param>
/// <param name="ModelSteps">Model steps the planner took.</param>
/// <param name="Mode">The supervisor's mode after the tick.</param>
public readonly record struct TickCost(long IlInstructions, int ModelSteps, EmbeddedMpc.Core.Safety.SupervisorMode Mode);
