using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// A simulated rig wired to the Core's control loop the way the firmware wires the real one:
/// <see cref="SimulatedRig"/> as sensors and motor, the encoder estimator (or the exact one for
/// profiles that measure the state exactly), the supervisor, the planner and the actuator.
/// <see cref="Tick"/> runs one control tick and then integrates the plant for one control period.
/// </summary>
public sealed class RigSimulation
{
    /// <summary>Fraction of the control period the planner may take before the tick counts as an overrun.</summary>
    public const double PlanningBudgetFraction = 0.8;

    /// <summary>Plant integration step, s (1 kHz).</summary>
    public const double PlantStepSeconds = 0.001;

    /// <summary>Builds the rig for <paramref name="settings"/>; it starts homed (Ready) or powered on and homing.</summary>
    /// <exception cref="System.ArgumentException">A setting is out of range (the message names it).</exception>
    public RigSimulation(RunSettings settings)
    {
        settings.Validate();
        Settings = settings;
        Profile = settings.ResolveProfile();
        StartedHomed = settings.ResolveStartHomed(Profile);
        Planner = PlannerCatalog.Build(settings, Profile);
        float controlPeriod = Profile.ControlPeriodSeconds;
        SubstepsPerTick = (int)System.Math.Round(controlPeriod / PlantStepSeconds);

        CartPoleState start = StartedHomed ? ClosedLoopRun.InitialState(settings) : ClosedLoopRun.PowerOnState(settings, Profile);
        Rig = new SimulatedRig(Profile, start, countsZeroAtOrigin: StartedHomed, settings.ActuationDelayTicks);
        Estimator = Rig.Plant.HasEncoders
            ? new EncoderStateEstimator(Profile.CartCountsPerMeter, Profile.PoleCountsPerRevolution, controlPeriod, 0.7f, 5f, 60f)
            : new ExactStateEstimator(Rig.Plant);
        Supervisor = new Supervisor(SupervisorSettings.ForProfile(Profile), Estimator) { AutoStart = true };
        Loop = new ControlLoop(Rig, Rig, new StopwatchClock(), Estimator, Supervisor, Planner.SwingUp, Planner.Balance,
            new MotorActuator(ActuationSettings.ForProfile(Profile)), Profile.CopyMotor(),
            (int)(PlanningBudgetFraction * controlPeriod * 1e6));
        if (StartedHomed)
        {
            Supervisor.MarkHomed();
        }
        else
        {
            Supervisor.RequestStart();
        }
    }

    public RunSettings Settings { get; }

    public RigProfile Profile { get; }

    public bool StartedHomed { get; }

    public PlannerStack Planner { get; }

    public SimulatedRig Rig { get; }

    public IStateEstimator Estimator { get; }

    public Supervisor Supervisor { get; }

    public ControlLoop Loop { get; }

    /// <summary>Plant steps per control period.</summary>
    public int SubstepsPerTick { get; }

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
