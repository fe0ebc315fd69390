namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>The device's verdict on a Configuration or Command (byte values are part of the protocol).</summary>
    public enum AckStatus : byte
    {
        /// <summary>Applied.</summary>
        Accepted = 0,

        /// <summary>Not applied: a value is outside its range (e.g. a parameter failed validation).</summary>
        InvalidValue = 1,

        /// <summary>Not applied: not allowed in the current supervisor mode (e.g. Configuration while running).</summary>
        WrongMode = 2,

        /// <summary>Not applied: the device does not know the command.</summary>
        Unsupported = 3,
    }

    /// <summary>
    /// Ack (type 0x05, device to host, 4-byte payload): whether the Configuration or Command frame with
    /// the given sequence number was applied. Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 AcknowledgedType (uint8), 1 AcknowledgedSequence (uint16), 3 Status (uint8).
    /// </remarks>
    public struct AckMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Ack;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 4;

        /// <summary>Type of the frame being answered.</summary>
        public MessageType AcknowledgedType;

        /// <summary>Sequence number of the frame being answered.</summary>
        public ushort AcknowledgedSequence;

        /// <summary>The verdict.</summary>
        public AckStatus Status;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteByte(buffer, offset, (byte)AcknowledgedType);
            LittleEndian.WriteUInt16(buffer, offset + 1, AcknowledgedSequence);
            LittleEndian.WriteByte(buffer, offset + 3, (byte)Status);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            AcknowledgedType = (MessageType)LittleEndian.ReadByte(buffer, offset);
            AcknowledgedSequence = LittleEndian.ReadUInt16(buffer, offset + 1);
            Status = (AckStatus)LittleEndian.ReadByte(buffer, offset + 3);
        }
    }
}
