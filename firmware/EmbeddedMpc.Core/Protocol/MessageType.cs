namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// The message type byte of a frame (offset 1). The byte values are part of the protocol
    /// (PROTOCOL.md); never renumber them. 0x00 is reserved and never sent. Each type has a fixed
    /// payload length (<see cref="FrameLayout.PayloadLengthOf"/>).
    /// </summary>
    public enum MessageType : byte
    {
        /// <summary>Reserved; not a valid type.</summary>
        None = 0x00,

        /// <summary>Host to device: opens a connection (<see cref="HelloMessage"/>).</summary>
        Hello = 0x01,

        /// <summary>Device to host: answers <see cref="Hello"/> (<see cref="HelloAckMessage"/>).</summary>
        HelloAck = 0x02,

        /// <summary>Host to device: rig parameters and planner settings (<see cref="ConfigurationMessage"/>).</summary>
        Configuration = 0x03,

        /// <summary>Host to device: start, stop or reset (<see cref="CommandMessage"/>).</summary>
        Command = 0x04,

        /// <summary>Device to host: accepts or rejects a Configuration or Command (<see cref="AckMessage"/>).</summary>
        Ack = 0x05,

        /// <summary>Both directions: keeps the link alive when nothing else is sent (<see cref="HeartbeatMessage"/>).</summary>
        Heartbeat = 0x06,

        /// <summary>Host to device: one sample of every sensor, once per control period (<see cref="SensorReadingsMessage"/>).</summary>
        SensorReadings = 0x10,

        /// <summary>Device to host: the motor command of one tick (<see cref="MotorCommandMessage"/>).</summary>
        MotorCommand = 0x11,

        /// <summary>Device to host: planner timing of one tick (<see cref="TickStatisticsMessage"/>).</summary>
        TickStatistics = 0x12,

        /// <summary>Device to host: the full telemetry record of one tick (<see cref="TelemetryMessage"/>).</summary>
        Telemetry = 0x13,

        /// <summary>Device to host: the supervisor entered Fault (<see cref="FaultMessage"/>).</summary>
        Fault = 0x14,

        /// <summary>Device to host: loop timing and free memory of one statistics window (<see cref="LoopStatisticsMessage"/>).</summary>
        LoopStatistics = 0x15,
    }
}
