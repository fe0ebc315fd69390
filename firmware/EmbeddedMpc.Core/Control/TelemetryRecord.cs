using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// What one control tick did, written by <see cref="ControlLoop"/> into a record the caller owns
    /// (the firmware sends it over the serial link, the simulator logs it). Plain fields.
    /// </summary>
    public struct TelemetryRecord
    {
        /// <summary>Tick index since the loop started.</summary>
        public uint TickIndex;

        /// <summary>Supervisor mode after this tick.</summary>
        public SupervisorMode Mode;

        /// <summary>Fault reason (None unless Mode is Fault).</summary>
        public FaultReason Fault;

        /// <summary>Estimated state (x, xDot, theta, thetaDot) used this tick.</summary>
        public CartPoleState State;

        /// <summary>Normalized drive command after safety overrides, [-1, 1] (0 when the motor is off).</summary>
        public float Command;

        /// <summary>Force the command is expected to put on the cart at the estimated speed, N (drive model).</summary>
        public float ForceNewtons;

        /// <summary>Signed PWM duty sent to the motor driver, [-1, 1].</summary>
        public float Duty;

        /// <summary>Cost of the chosen plan (0 when the planner did not run).</summary>
        public float PlanCost;

        /// <summary>Microseconds the planner took this tick (0 when it did not run).</summary>
        public int PlanningMicroseconds;

        /// <summary>Model steps the planner took this tick.</summary>
        public int ModelSteps;

        /// <summary>Consecutive ticks the planner has overrun its budget.</summary>
        public int OverrunStreak;
    }
}
