using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Plants;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// A simulated rig wired to the Core's control loop the way the firmware wires the real one:
/// <see cref="RigHardware"/> as sensors and motor, and the controller of <see cref="ControlStackBuilder"/>
/// (estimator, supervisor, planner, actuator). <see cref="ControlTick"/> runs one control tick,
/// <see cref="AdvancePlant"/> integrates the plant for one control period.
/// </summary>
public sealed class ControlledRig
{
    /// <summary>Fraction of the control period the planner may take before the tick counts as an overrun.</summary>
    public const double PlanningBudgetFraction = ControlStackBuilder.PlanningBudgetFraction;

    /// <summary>The ideal plant's integration step, s (1 kHz).</summary>
    public const double PlantStepSeconds = 0.001;

    /// <summary>Builds the rig for <paramref name="settings"/>; it starts homed (Ready) or powered on and homing.</summary>
    /// <remarks>
    /// The loop times its planning on the host's <see cref="StopwatchClock"/> (planning_us, overruns), but
    /// its supervisor does not fault on planner overruns (<see cref="SupervisorSettings.FaultsOnPlannerOverrun"/>
    /// off) and nothing stops planning at the budget: a busy host cannot change a seeded run. The device's
    /// budget is the interpreter cost measure's to check (`cost`).
    /// </remarks>
    /// <exception cref="System.ArgumentException">A setting is out of range (the message names it).</exception>
    public ControlledRig(RunSettings settings)
        : this(settings, new StopwatchClock())
    {
    }

    /// <summary>As <see cref="ControlledRig(RunSettings)"/>, timing the planning on <paramref name="planningClock"/>.</summary>
    /// <exception cref="System.ArgumentException">A setting is out of range (the message names it).</exception>
    public ControlledRig(RunSettings settings, IMicrosecondClock planningClock)
    {
        settings.Validate();
        Settings = settings;
        Profile = settings.ResolveProfile();
        StartedHomed = settings.ResolveStartHomed(Profile);
        Rig = CreateRig(settings, Profile, StartedHomed);
        SubstepsPerTick = Rig.StepsPerControlPeriod(Profile.ControlPeriodSeconds);
        ControllerProfile = settings.ResolveControllerProfile(Profile);
        ControlStack stack = ControlStackBuilder.Build(settings, ControllerProfile, Rig, Rig, planningClock, StartedHomed, new ExactStateEstimator(Rig.Plant),
            faultsOnPlannerOverrun: false);
        Planner = stack.Planner;
        Estimator = stack.Estimator;
        Supervisor = stack.Supervisor;
        Loop = stack.Loop;
        Supervisor.AutoStart = true;
        if (!StartedHomed)
        {
            Supervisor.RequestStart();
        }
    }

    public RunSettings Settings { get; }

    /// <summary>The plant's profile (the simulated rig's truth).</summary>
    public RigProfile Profile { get; }

    /// <summary>The profile the controller was built from (<see cref="RunSettings.ModelFile"/>, else <see cref="Profile"/>).</summary>
    public RigProfile ControllerProfile { get; }

    public bool StartedHomed { get; }

    public PlannerStack Planner { get; }

    public RigHardware Rig { get; }

    public IStateEstimator Estimator { get; }

    public Supervisor Supervisor { get; }

    public ControlLoop Loop { get; }

    /// <summary>Plant steps per control period.</summary>
    public int SubstepsPerTick { get; }

    /// <summary>
    /// The simulated rig of a run: homed, at the task's start state with encoders reading 0 at the
    /// origin; or powered on somewhere on the track with the pole hanging, encoders reading 0 there.
    /// </summary>
    public static RigHardware CreateRig(RunSettings settings, RigProfile profile, bool startHomed)
    {
        CartPoleState start = startHomed ? ClosedLoopRun.InitialState(settings) : ClosedLoopRun.PowerOnState(settings, profile);
        if (settings.Plant == PlantKind.MuJoCo)
        {
            return new RigHardware(profile, new Plants.MuJoCo.MuJoCoPlant(profile, start), countsZeroAtOrigin: startHomed, settings.ActuationDelayTicks);
        }

        RealityEffects reality = settings.ResolveReality(profile);
        IPlant plant = reality.IsNone ? new IdealPlant(profile, start) : new RealisticPlant(profile, reality, start);
        return new RigHardware(profile, plant, countsZeroAtOrigin: startHomed, settings.ActuationDelayTicks, reality);
    }

    /// <summary>Ideal-plant integration steps per control period of <paramref name="profile"/>.</summary>
    public static int SubstepsPerControlPeriod(RigProfile profile) =>
        (int)System.Math.Round(profile.ControlPeriodSeconds / PlantStepSeconds);

    /// <summary>Runs one control tick into <paramref name="record"/>, without advancing the plant.</summary>
    public void ControlTick(ref TelemetryRecord record) => Loop.Tick(ref record);

    /// <summary>Integrates the plant for one control period with the duty the last tick set.</summary>
    public void AdvancePlant()
    {
        for (int s = 0; s < SubstepsPerTick; s++)
        {
            Rig.Step();
        }
    }
}
