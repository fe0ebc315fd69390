using System;
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// Open-loop control for comparison with receding-horizon control: the whole run's commands are
/// planned once, before the first tick, from the start state alone, and then played blindly
/// (<see cref="OpenLoopPolicy"/>). The plan is the run the planner expects: its receding-horizon
/// controller driving a plant that behaves exactly like the planner's model (the run's planner,
/// with its mismatch; the simulated rig with the planner's model parameters, the profile's drive
/// behind the same actuator, the exact state, no disturbance), switching to its balance controller where the supervisor
/// would. Planning over the whole run this way finds the swing-up a single long-horizon optimization
/// would look for; what it cannot do is react to what the real plant does differently.
/// </summary>
public static class OpenLoopPlan
{
    /// <summary>The planned commands, one per control period of the run's duration (plus one spare period).</summary>
    /// <remarks>The settings are validated by the caller (<see cref="RunSettings.Validate"/> requires a homed start for open loop).</remarks>
    /// <exception cref="ArgumentException">A planner setting is out of range.</exception>
    public static float[] Commands(RunSettings settings, RigProfile profile) => Commands(settings, profile, PlannerCatalog.Build(settings, profile));

    private static float[] Commands(RunSettings settings, RigProfile profile, PlannerStack planner)
    {
        // The world as the planner believes it: the profile with the planner's model parameters, its
        // drive and dead zone behind the same actuator (dead-zone compensation, slew limit) as the rig's.
        var believed = new RigProfile(profile.Name, profile.Description, planner.PlannerParameters, profile.CopyMotor(),
            profile.CartCountsPerMeter, profile.PoleCountsPerRevolution, profile.ControlPeriodSeconds,
            profile.LimitSwitchOffsetMeters, profile.EndStopOffsetMeters);
        var imagined = new RigHardware(believed, ClosedLoopRun.InitialState(settings), countsZeroAtOrigin: true);
        var actuator = new MotorActuator(ActuationSettings.ForProfile(believed));
        var thresholds = SupervisorSettings.ForProfile(believed);
        int substeps = ControlledRig.SubstepsPerControlPeriod(profile);
        var commands = new float[(int)Math.Round(settings.DurationSeconds / profile.ControlPeriodSeconds) + 1];

        bool balancing = false;
        IPolicy active = planner.SwingUp;
        active.Reset();
        for (int tick = 0; tick < commands.Length; tick++)
        {
            CartPoleState state = imagined.Plant.State;
            float angle = Math.Abs(FloatMath.WrapToPi(state.Theta));
            balancing = balancing
                ? angle < thresholds.BalanceExitAngleRadians
                : angle < thresholds.BalanceEntryAngleRadians && Math.Abs(state.ThetaDot) < thresholds.BalanceEntryAngularVelocity;
            IPolicy policy = balancing ? planner.Balance : planner.SwingUp;
            if (policy != active)
            {
                policy.Reset();
                active = policy;
            }

            float command = Math.Clamp(policy.ComputeAction(ref state), -1f, 1f);
            commands[tick] = command;
            imagined.SetDuty(actuator.DutyFor(command));
            for (int s = 0; s < substeps; s++)
            {
                imagined.Step();
            }
        }

        return commands;
    }

    /// <summary>A planner stack that plays <see cref="Commands"/> in both SwingUp and Balance (the same sequence runs on through the switch).</summary>
    public static PlannerStack Stack(RunSettings settings, RigProfile profile)
    {
        PlannerStack planned = PlannerCatalog.Build(settings, profile);
        var playback = new OpenLoopPolicy(Commands(settings, profile, planned));
        return planned with { SwingUp = playback, Balance = playback };
    }
}
