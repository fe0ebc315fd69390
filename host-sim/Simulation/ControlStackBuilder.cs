using System;
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>A controller wired around some hardware: the planner pair, the estimator, the supervisor and the control loop.</summary>
public sealed record ControlStack(PlannerStack Planner, IStateEstimator Estimator, Supervisor Supervisor, ControlLoop Loop);

/// <summary>
/// The one place where the host builds the Core's control loop the way the firmware wires it: the
/// encoder estimator (or an exact one for profiles that measure the state exactly), the supervisor,
/// the planner of <see cref="PlannerCatalog"/>, the drive actuator and the loop with its planning
/// budget. The simulator (<see cref="ControlledRig"/>) puts a simulated rig behind it, the virtual HIL
/// device a serial link.
/// </summary>
public static class ControlStackBuilder
{
    /// <summary>Fraction of the control period the planner may take before the tick counts as an overrun.</summary>
    public const double PlanningBudgetFraction = 0.8;

    /// <summary>Weight of the newest difference in the encoder estimator's velocity filter.</summary>
    public const float VelocityFilterWeight = 0.7f;

    /// <summary>Fastest plausible cart speed, m/s (a larger jump between readings is an encoder fault).</summary>
    public const float MaxCartSpeedMetersPerSecond = 5f;

    /// <summary>Fastest plausible pole speed, rad/s.</summary>
    public const float MaxPoleSpeedRadiansPerSecond = 60f;

    /// <summary>Whether <paramref name="profile"/> measures with encoders (non-zero resolutions) rather than exactly.</summary>
    public static bool HasEncoders(RigProfile profile) => profile.CartCountsPerMeter > 0f && profile.PoleCountsPerRevolution > 0f;

    /// <summary>
    /// Builds the controller of <paramref name="settings"/> for <paramref name="profile"/> around the given
    /// hardware. The supervisor starts in Idle, or in Ready when <paramref name="startHomed"/> (the caller
    /// decides when to start it); <see cref="Supervisor.AutoStart"/> is left off.
    /// </summary>
    /// <param name="settings">Planner, task, sizes and seed.</param>
    /// <param name="profile">The rig the controller believes in (its planner's model may be mismatched by <see cref="RunSettings.Mismatch"/>).</param>
    /// <param name="sensors">Encoders, switches, E-stop.</param>
    /// <param name="motor">The drive.</param>
    /// <param name="clock">The clock the planning time is measured with.</param>
    /// <param name="startHomed">True: the rig is homed and calibrated (encoder zero at the origin).</param>
    /// <param name="exactEstimator">The estimator for a profile without encoders; ignored when it has them.</param>
    /// <exception cref="ArgumentException">A setting is out of range, or the profile has no encoders and no exact estimator was given.</exception>
    public static ControlStack Build(RunSettings settings, RigProfile profile, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock,
        bool startHomed, IStateEstimator? exactEstimator = null)
    {
        PlannerStack planner = settings.Task == ControlTask.Excite ? ExcitationStack.Build(settings, profile)
            : settings.OpenLoop ? OpenLoopPlan.Stack(settings, profile)
            : PlannerCatalog.Build(settings, profile);
        float controlPeriod = profile.ControlPeriodSeconds;
        IStateEstimator estimator = HasEncoders(profile)
            ? new EncoderStateEstimator(profile.CartCountsPerMeter, profile.PoleCountsPerRevolution, controlPeriod,
                VelocityFilterWeight, MaxCartSpeedMetersPerSecond, MaxPoleSpeedRadiansPerSecond)
            : exactEstimator ?? throw new ArgumentException(
                $"profile '{profile.Name}' measures the state exactly (no encoder counts); this controller needs encoder counts.");
        var supervisor = new Supervisor(SupervisorSettings.ForProfile(profile), estimator);
        var loop = new ControlLoop(sensors, motor, clock, estimator, supervisor, planner.SwingUp, planner.Balance,
            new MotorActuator(ActuationSettings.ForProfile(profile)), profile.CopyMotor(),
            (int)(PlanningBudgetFraction * controlPeriod * 1e6));
        if (startHomed)
        {
            supervisor.MarkHomed();
        }

        return new ControlStack(planner, estimator, supervisor, loop);
    }
}
