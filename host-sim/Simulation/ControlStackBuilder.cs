using System;
using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>A controller wired around some hardware: the planner pair, the estimator, the supervisor and the control loop.</summary>
public sealed record ControlStack(PlannerStack Planner, IStateEstimator Estimator, Supervisor Supervisor, ControlLoop Loop);

/// <summary>
/// Where the host builds the Core's control loop, through the Core's <see cref="ControllerFactory"/> as the
/// firmware does: the encoder estimator (or an exact one for profiles that measure the state exactly),
/// the supervisor, the planner of <see cref="PlannerCatalog"/> (or the excitation or open-loop policy),
/// the drive actuator and the loop with its planning budget. The simulator (<see cref="ControlledRig"/>)
/// puts a simulated rig behind it, the virtual HIL device a serial link.
/// </summary>
public static class ControlStackBuilder
{
    /// <summary>The Core's <see cref="ControllerFactory.PlanningBudgetFraction"/>.</summary>
    public const double PlanningBudgetFraction = ControllerFactory.PlanningBudgetFraction;

    /// <summary>Whether <paramref name="profile"/> measures with encoders (non-zero resolutions) rather than exactly (<see cref="ControllerFactory.HasEncoders"/>).</summary>
    public static bool HasEncoders(RigProfile profile) => ControllerFactory.HasEncoders(profile);

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
    /// <param name="faultsOnPlannerOverrun">
    /// <see cref="SupervisorSettings.FaultsOnPlannerOverrun"/>: true where <paramref name="clock"/> times the device's own
    /// planning (HIL's real-time virtual device); the simulator passes false, since its host's wall clock says nothing about the device.
    /// </param>
    /// <exception cref="ArgumentException">A setting is out of range, or the profile has no encoders and no exact estimator was given.</exception>
    public static ControlStack Build(RunSettings settings, RigProfile profile, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock,
        bool startHomed, IStateEstimator? exactEstimator = null, bool faultsOnPlannerOverrun = true)
    {
        PlannerStack planner = settings.Task == ControlTask.Excite ? ExcitationStack.Build(settings, profile)
            : settings.OpenLoop ? OpenLoopPlan.Stack(settings, profile)
            : PlannerCatalog.Build(settings, profile);
        IStateEstimator estimator = HasEncoders(profile) ? ControllerFactory.CreateEncoderEstimator(profile, 1f)
            : exactEstimator ?? throw new ArgumentException(
                $"profile '{profile.Name}' measures the state exactly (no encoder counts); this controller needs encoder counts.");
        SupervisorSettings limits = SupervisorSettings.ForProfile(profile);
        limits.FaultsOnPlannerOverrun = faultsOnPlannerOverrun;
        if (settings.Task == ControlTask.Excite)
        {
            limits.SwingUpTimeoutSeconds = 0f; // the excitation shakes the hanging pole for minutes on purpose
        }

        ControlLoop loop = ControllerFactory.BuildLoopWithLimits(profile, limits, estimator, planner.SwingUp, planner.Balance, sensors, motor, clock);
        loop.UseAdaptation(planner.Adaptation);
        loop.UseCatchCheck(planner.CatchCheck);
        Supervisor supervisor = loop.Supervisor;
        if (startHomed)
        {
            supervisor.MarkHomed();
        }

        return new ControlStack(planner, estimator, supervisor, loop);
    }
}
