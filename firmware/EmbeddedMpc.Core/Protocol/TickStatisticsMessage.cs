namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// TickStatistics (type 0x12, device to host, 16-byte payload): how long the planner took in one
    /// tick and how much work it did. Sent after the MotorCommand of the tick when the host asked for
    /// it in its Hello (<see cref="HelloMessage.FlagSendTickStatistics"/>). Plain fields; the caller
    /// allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 TickIndex (uint32), 4 PlanningMicroseconds (int32), 8 ModelSteps (int32),
    /// 12 OverrunStreak (int32).
    /// </remarks>
    public struct TickStatisticsMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.TickStatistics;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 16;

        /// <summary>Tick index these figures belong to.</summary>
        public uint TickIndex;

        /// <summary>Microseconds the planner took this tick (0 when it did not run).</summary>
        public int PlanningMicroseconds;

        /// <summary>Model steps the planner took this tick.</summary>
        public int ModelSteps;

        /// <summary>Consecutive ticks the planner has overrun its budget.</summary>
        public int OverrunStreak;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, TickIndex);
            LittleEndian.WriteInt32(buffer, offset + 4, PlanningMicroseconds);
            LittleEndian.WriteInt32(buffer, offset + 8, ModelSteps);
            LittleEndian.WriteInt32(buffer, offset + 12, OverrunStreak);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            TickIndex = LittleEndian.ReadUInt32(buffer, offset);
            PlanningMicroseconds = LittleEndian.ReadInt32(buffer, offset + 4);
            ModelSteps = LittleEndian.ReadInt32(buffer, offset + 8);
            OverrunStreak = LittleEndian.ReadInt32(buffer, offset + 12);
        }
    }
}
