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

        /// <summary>Raw cart encoder count of this tick's reading (its low 32 bits), written by <see cref="ControlLoop"/>.</summary>
        public int CartCount;

        /// <summary>Raw pole encoder count of this tick's reading (its low 32 bits), written by <see cref="ControlLoop"/>.</summary>
        public int PoleCount;

        /// <summary>
        /// Switch and button bits of this tick (<see cref="TelemetryInputs"/>): the loop writes the limit switches and the
        /// E-stop from the reading; the caller may add <see cref="TelemetryInputs.Button"/>.
        /// </summary>
        public byte Inputs;

        /// <summary>What the rig is doing (<see cref="RigActivity"/>); set by the caller (rig mode), None otherwise.</summary>
        public RigActivity Activity;

        /// <summary>Measured time from the previous tick's start to this one's, µs; 0 when not measured (the first tick, HIL, simulation).</summary>
        public int TickPeriodMicroseconds;

        /// <summary>This tick's start minus the time it was due, µs; 0 when nothing sets a due time.</summary>
        public int JitterMicroseconds;

        /// <summary>Free managed heap at the last measurement, bytes; -1 when the device cannot tell (set by the caller).</summary>
        public int FreeMemoryBytes;

        /// <summary>Identifier of the rig model the controller runs (<see cref="Protocol.ConfigurationMessage.RigModelId"/>); set by the caller, 0 when unknown.</summary>
        public uint ModelId;

        /// <summary>Where that model came from (<see cref="ModelSource"/>); set by the caller.</summary>
        public ModelSource ModelSource;
    }
}
