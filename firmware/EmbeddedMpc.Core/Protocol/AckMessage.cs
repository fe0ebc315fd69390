namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>The device's verdict on a Configuration, Command or SensorReadings (byte values are part of the protocol).</summary>
    public enum AckStatus : byte
    {
        /// <summary>Applied.</summary>
        Accepted = 0,

        /// <summary>Not applied: a value is outside its range or the device's limits (<see cref="AckMessage.Detail"/> says which).</summary>
        InvalidValue = 1,

        /// <summary>Not applied: not allowed in the current supervisor mode (e.g. Configuration while running, Start in Fault).</summary>
        WrongMode = 2,

        /// <summary>Not applied: the device does not know the command.</summary>
        Unsupported = 3,

        /// <summary>Not applied: no Hello has opened a connection yet, so the link watchdog is not armed and the motor may not run.</summary>
        NotConnected = 4,
    }

    /// <summary>
    /// Ack (type 0x05, device to host, 9-byte payload): whether the Configuration or Command frame with
    /// the given sequence number was applied (or, before any Hello, that a SensorReadings was refused),
    /// and for a refused Configuration which field or limit refused it. Plain fields; the caller
    /// allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 AcknowledgedType (uint8), 1 AcknowledgedSequence (uint16), 3 Status (uint8),
    /// 4 Detail (uint8, <see cref="AckDetail"/>), 5 Limit (uint32).
    /// </remarks>
    public struct AckMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Ack;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 9;

        /// <summary>Type of the frame being answered.</summary>
        public MessageType AcknowledgedType;

        /// <summary>Sequence number of the frame being answered.</summary>
        public ushort AcknowledgedSequence;

        /// <summary>The verdict.</summary>
        public AckStatus Status;

        /// <summary>For <see cref="AckStatus.InvalidValue"/>: the first field or limit that refused the Configuration; <see cref="AckDetail.None"/> otherwise.</summary>
        public AckDetail Detail;

        /// <summary>
        /// For <see cref="AckDetail.TickWork"/>: the device's limit in model steps per tick at the configured
        /// control period; for <see cref="AckDetail.PlannerMemory"/>: the largest Samples x Horizon it holds; else 0.
        /// </summary>
        public uint Limit;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteByte(buffer, offset, (byte)AcknowledgedType);
            LittleEndian.WriteUInt16(buffer, offset + 1, AcknowledgedSequence);
            LittleEndian.WriteByte(buffer, offset + 3, (byte)Status);
            LittleEndian.WriteByte(buffer, offset + 4, (byte)Detail);
            LittleEndian.WriteUInt32(buffer, offset + 5, Limit);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            AcknowledgedType = (MessageType)LittleEndian.ReadByte(buffer, offset);
            AcknowledgedSequence = LittleEndian.ReadUInt16(buffer, offset + 1);
            Status = (AckStatus)LittleEndian.ReadByte(buffer, offset + 3);
            Detail = (AckDetail)LittleEndian.ReadByte(buffer, offset + 4);
            Limit = LittleEndian.ReadUInt32(buffer, offset + 5);
        }
    }
}
