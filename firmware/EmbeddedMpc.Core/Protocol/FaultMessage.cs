using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Fault (type 0x14, device to host, 5-byte payload): the supervisor entered Fault, why, and at
    /// which tick. Sent once per entry into Fault. Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>Payload: offset 0 TickIndex (uint32), 4 Reason (uint8, <see cref="FaultReason"/>).</remarks>
    public struct FaultMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Fault;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 5;

        /// <summary>Tick index at which the fault was detected.</summary>
        public uint TickIndex;

        /// <summary>Why. A byte outside the enum is carried as is.</summary>
        public FaultReason Reason;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, TickIndex);
            LittleEndian.WriteByte(buffer, offset + 4, (byte)Reason);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            TickIndex = LittleEndian.ReadUInt32(buffer, offset);
            Reason = (FaultReason)LittleEndian.ReadByte(buffer, offset + 4);
        }
    }
}
