using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
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
    private readonly float[] _derivatives = new float[8];
    private float[] _plan = null!;
    private CartPoleState _state;

    [GlobalSetup]
    public void Setup()
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        _model = new CartPoleModel(profile.CopyParameters());
        _state = new CartPoleState(0.05f, 0.1f, 2.5f, 1f);
        var cost = new SwingUpCost(new SwingUpCostSettings(), profile.CopyParameters().TrackHalfLengthMeters);
        var grid = new RolloutSettings { ControlPeriodSeconds = profile.ControlPeriodSeconds, ModelStepSeconds = 0.04f, HorizonSteps = 30, StepsPerKnot = 3 };
        _rollout = new CartPoleRollout(_model, cost, grid, profile.CopyMotor());
        _plan = new float[_rollout.KnotCount];
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

    /// <summary>The analytic derivatives of the accelerations iLQR linearizes with (8 partials).</summary>
    [Benchmark]
    public float ModelDerivatives()
    {
        _model.AccelerationDerivatives(ref _state, 3f, _derivatives);
        return _derivatives[5];
    }
}

/// <summary>
/// One swing-up tick of each planner of the catalog (its SwingUp policy, from a state mid swing-up on
/// the esp32-rig profile; warm-started by the previous invocation, as in a run).
/// </summary>
[MemoryDiagnoser]
public class PlannerTickBenchmarks
{
    private IPolicy _planner = null!;
    private CartPoleState _state;

    [Params("cem", "icem-dm", "mppi", "mcts", "ilqr", "icem-ilqr")]
    public string Planner { get; set; } = "icem-dm";

    [GlobalSetup]
    public void Setup()
    {
        _state = new CartPoleState(0.05f, 0.1f, 2.5f, 1f);
        _planner = PlannerCatalog.Build(new RunSettings { Planner = Planner }, RigProfiles.Esp32Rig()).SwingUp;
    }

    [Benchmark]
    public float PlannerTick() => _planner.ComputeAction(ref _state);
}

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
