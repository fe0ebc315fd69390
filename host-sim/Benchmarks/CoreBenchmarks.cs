using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.Benchmarks;

/// <summary>
/// The Core's hot paths on the esp32-rig profile. A model step is the unit of the planners' budget;
/// host model steps per second = 1 / (ModelStep time). The nanoCLR interpreter runs the same step
/// about 30 times slower and an ESP32 tens of times slower again (DESIGN.md).
/// </summary>
[MemoryDiagnoser]
public class CoreBenchmarks
{
    private CartPoleModel _model = null!;
    private CartPoleRollout _rollout = null!;
    private IPolicy _icem = null!;
    private IPolicy _cem = null!;
    private float[] _plan = null!;
    private CartPoleState _state;

    [GlobalSetup]
    public void Setup()
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        _model = new CartPoleModel(profile.CopyParameters());
        _state = new CartPoleState(0.05f, 0.1f, 2.5f, 1f);
        var context = new PlannerBuildContext(new RunSettings(), profile, profile.CopyParameters());
        _rollout = new CartPoleRollout(context.Model, context.Cost, context.Rollout(0.04f, 30, 3), context.Drive);
        _plan = new float[_rollout.KnotCount];
        _icem = PlannerCatalog.Build(new RunSettings { Planner = "icem-dm" }, profile).SwingUp;
        _cem = PlannerCatalog.Build(new RunSettings { Planner = "cem" }, profile).SwingUp;
    }

    /// <summary>One semi-implicit Euler step of the planner's model (one sin, one cos).</summary>
    [Benchmark]
    public CartPoleState ModelStep()
    {
        CartPoleState state = _state;
        _model.StepSemiImplicitEuler(ref state, 3f, 0.02f);
        return state;
    }

    /// <summary>One rollout of the icem planners: 30 model steps of 40 ms with 11 linear knots, scored.</summary>
    [Benchmark]
    public float Rollout() => _rollout.RolloutCost(ref _state, _plan, 0, _rollout.KnotCount);

    /// <summary>One tick of the icem-dm planner (300 model steps).</summary>
    [Benchmark]
    public float PlannerTickIcem() => _icem.ComputeAction(ref _state);

    /// <summary>One tick of the default CEM planner (2880 model steps).</summary>
    [Benchmark]
    public float PlannerTickCem() => _cem.ComputeAction(ref _state);
}

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
