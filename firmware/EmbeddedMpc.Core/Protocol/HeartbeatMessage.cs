namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Heartbeat (type 0x06, both directions, 8-byte payload): sent by a side that has sent no other
    /// frame for one heartbeat period, so the other side can tell a quiet link from a dead one.
    /// Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>Payload: offset 0 TimeMicroseconds (uint32), 4 TickIndex (uint32).</remarks>
    public struct HeartbeatMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Heartbeat;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 8;

        /// <summary>The sender's clock, microseconds since it started, wrapping at 2^32 (about 71.6 minutes).</summary>
        public uint TimeMicroseconds;

        /// <summary>The latest tick index the sender sent or handled (0 before the first tick).</summary>
        public uint TickIndex;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, TimeMicroseconds);
            LittleEndian.WriteUInt32(buffer, offset + 4, TickIndex);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            TimeMicroseconds = LittleEndian.ReadUInt32(buffer, offset);
            TickIndex = LittleEndian.ReadUInt32(buffer, offset + 4);
        }
    }
}
