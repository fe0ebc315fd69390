namespace EmbeddedMpc.Core.Safety
{
    /// <summary>The supervisor's modes (byte values are part of the telemetry and the serial protocol).</summary>
    public enum SupervisorMode : byte
    {
        /// <summary>Motor off, waiting for a start command.</summary>
        Idle = 0,

        /// <summary>Driving slowly to the -x limit switch to find the cart origin, then to the centre.</summary>
        Homing = 1,

        /// <summary>Homed, motor off, waiting for a start command.</summary>
        Ready = 2,

        /// <summary>The planner is swinging the pole up.</summary>
        SwingUp = 3,

        /// <summary>The planner is balancing the pole upright.</summary>
        Balance = 4,

        /// <summary>Motor off after a fault; leaving needs an explicit reset.</summary>
        Fault = 5,
    }

    /// <summary>Why the supervisor entered <see cref="SupervisorMode.Fault"/> (byte values are part of the protocol).</summary>
    public enum FaultReason : byte
    {
        /// <summary>No fault.</summary>
        None = 0,

        /// <summary>A limit switch tripped outside homing.</summary>
        LimitSwitch = 1,

        /// <summary>The emergency stop is pressed.</summary>
        EmergencyStop = 2,

        /// <summary>The cart crossed the track margin.</summary>
        TrackMargin = 3,

        /// <summary>An encoder jumped by more than the rig can move in one tick (glitch or unplugged).</summary>
        EncoderJump = 4,

        /// <summary>The planner overran its time budget too many ticks in a row.</summary>
        PlannerOverrun = 5,

        /// <summary>A state, cost or command was NaN or infinite.</summary>
        NonFinite = 6,

        /// <summary>Homing did not find the limit switch within the allowed travel or time.</summary>
        HomingFailed = 7,

        /// <summary>The host link went silent (HIL mode).</summary>
        LinkLost = 8,

        /// <summary>
        /// The pole whirls instead of being caught: it has not been balanced within the swing-up time
        /// limit, or it turns faster than any swing-up needs (<see cref="SupervisorSettings.SwingUpTimeoutSeconds"/>,
        /// <see cref="SupervisorSettings.MaxPoleSpeedRadiansPerSecond"/>).
        /// </summary>
        Whirl = 9,
    }
}
