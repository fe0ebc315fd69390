namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// LoopStatistics (type 0x15, device to host, 28-byte payload): how the device's control loop kept
    /// time and memory over one statistics window (a few seconds), sent once per window whatever the
    /// Hello asked for. Counts since start-up and figures of the window, all unsigned. Plain fields; the
    /// caller allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload (uint32 each): offset 0 TickIndex (the last tick of the window), 4 Overruns (ticks since
    /// start-up whose work took longer than the control period), 8 SkippedPeriods (control periods since
    /// start-up that got no tick), 12 MaxJitterMicroseconds (largest |tick start - when it was due| in the
    /// window), 16 MaxTickMicroseconds (longest tick in the window, from its start to its last frame sent),
    /// 20 FreeMemoryBytes (free managed heap after the window's garbage collection), 24
    /// GarbageCollectionMicroseconds (how long that collection took). PROTOCOL.md says what "due" and
    /// "skipped" mean on the rig and in HIL.
    /// </remarks>
    public struct LoopStatisticsMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.LoopStatistics;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 28;

        /// <summary>The last tick index of the window.</summary>
        public uint TickIndex;

        /// <summary>Ticks since start-up whose work took longer than the control period.</summary>
        public uint Overruns;

        /// <summary>Control periods since start-up that got no tick (after an overrun on the rig; readings lost in HIL).</summary>
        public uint SkippedPeriods;

        /// <summary>Largest |tick start - when the tick was due| in the window, µs (0 when nothing sets a due time, as in lockstep).</summary>
        public uint MaxJitterMicroseconds;

        /// <summary>Longest tick in the window, from its start to the end of its last frame sent, µs.</summary>
        public uint MaxTickMicroseconds;

        /// <summary>Free managed heap after the window's garbage collection, bytes.</summary>
        public uint FreeMemoryBytes;

        /// <summary>Duration of that garbage collection, µs.</summary>
        public uint GarbageCollectionMicroseconds;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, TickIndex);
            LittleEndian.WriteUInt32(buffer, offset + 4, Overruns);
            LittleEndian.WriteUInt32(buffer, offset + 8, SkippedPeriods);
            LittleEndian.WriteUInt32(buffer, offset + 12, MaxJitterMicroseconds);
            LittleEndian.WriteUInt32(buffer, offset + 16, MaxTickMicroseconds);
            LittleEndian.WriteUInt32(buffer, offset + 20, FreeMemoryBytes);
            LittleEndian.WriteUInt32(buffer, offset + 24, GarbageCollectionMicroseconds);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            TickIndex = LittleEndian.ReadUInt32(buffer, offset);
            Overruns = LittleEndian.ReadUInt32(buffer, offset + 4);
            SkippedPeriods = LittleEndian.ReadUInt32(buffer, offset + 8);
            MaxJitterMicroseconds = LittleEndian.ReadUInt32(buffer, offset + 12);
            MaxTickMicroseconds = LittleEndian.ReadUInt32(buffer, offset + 16);
            FreeMemoryBytes = LittleEndian.ReadUInt32(buffer, offset + 20);
            GarbageCollectionMicroseconds = LittleEndian.ReadUInt32(buffer, offset + 24);
        }
    }
}
