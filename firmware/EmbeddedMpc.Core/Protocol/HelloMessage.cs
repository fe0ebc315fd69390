namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Hello (type 0x01, host to device, 9-byte payload): opens a connection and says how the host wants
    /// to run it. The device answers with <see cref="HelloAckMessage"/>. Plain fields; the caller
    /// allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 ProtocolVersion (uint8), 1 ClientId (uint32), 5 Flags (uint32).
    /// </remarks>
    public struct HelloMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Hello;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 9;

        /// <summary>Flag bit: lockstep timing (the host waits for each MotorCommand before advancing the plant); clear for real time.</summary>
        public const uint FlagLockstep = 0x1u;

        /// <summary>Flag bit: the device sends a TickStatistics message after every MotorCommand.</summary>
        public const uint FlagSendTickStatistics = 0x2u;

        /// <summary>Flag bit: the device sends a Telemetry message after every MotorCommand.</summary>
        public const uint FlagSendTelemetry = 0x4u;

        /// <summary>Protocol version the host speaks (<see cref="FrameLayout.ProtocolVersion"/>).</summary>
        public byte ProtocolVersion;

        /// <summary>Informative 32-bit identifier of the host program (e.g. the FNV-1a hash of its name); logged, not interpreted.</summary>
        public uint ClientId;

        /// <summary>Requested connection options: a combination of the Flag* bits; other bits are sent as 0 and ignored.</summary>
        public uint Flags;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteByte(buffer, offset, ProtocolVersion);
            LittleEndian.WriteUInt32(buffer, offset + 1, ClientId);
            LittleEndian.WriteUInt32(buffer, offset + 5, Flags);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            ProtocolVersion = LittleEndian.ReadByte(buffer, offset);
            ClientId = LittleEndian.ReadUInt32(buffer, offset + 1);
            Flags = LittleEndian.ReadUInt32(buffer, offset + 5);
        }
    }
}
