namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// MotorCommand (type 0x11, device to host, 12-byte payload): what the device drives the motor
    /// with for one tick; in HIL the host applies it to the simulated plant. Plain fields; the caller
    /// allocates one and reuses it.
    /// </summary>
    /// <remarks>Payload: offset 0 TickIndex (uint32), 4 Duty (float32), 8 ForceNewtons (float32).</remarks>
    public struct MotorCommandMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.MotorCommand;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 12;

        /// <summary>Tick index of the SensorReadings this command answers.</summary>
        public uint TickIndex;

        /// <summary>Signed PWM duty, [-1, 1]; the sign is the direction (+ pushes the cart toward +x).</summary>
        public float Duty;

        /// <summary>
        /// Force the command is expected to put on the cart, N (the device's drive model). A simulated
        /// plant with its own motor model applies <see cref="Duty"/>; one without applies this force.
        /// </summary>
        public float ForceNewtons;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, TickIndex);
            LittleEndian.WriteSingle(buffer, offset + 4, Duty);
            LittleEndian.WriteSingle(buffer, offset + 8, ForceNewtons);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            TickIndex = LittleEndian.ReadUInt32(buffer, offset);
            Duty = LittleEndian.ReadSingle(buffer, offset + 4);
            ForceNewtons = LittleEndian.ReadSingle(buffer, offset + 8);
        }
    }
}
