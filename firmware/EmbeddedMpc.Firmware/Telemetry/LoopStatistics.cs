using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.Firmware.Telemetry
{
    /// <summary>
    /// How the control thread kept time and memory over one statistics window, sent every
    /// <see cref="FirmwareSettings.StatisticsPeriodSeconds"/> as a LoopStatistics frame. Plain fields;
    /// the control thread owns one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload (28 bytes, little-endian, PROTOCOL.md conventions): offset 0 TickIndex (uint32, the last
    /// tick of the window), 4 Overruns (uint32, ticks since start-up whose work took longer than the
    /// control period), 8 SkippedPeriods (uint32, control periods since start-up that got no tick
    /// because an overrun ran past them), 12 MaxJitterMicroseconds (uint32, largest |tick start -
    /// deadline| in the window), 16 MaxTickMicroseconds (uint32, longest tick in the window, from start
    /// to the end of its telemetry), 20 FreeMemoryBytes (uint32, managed heap free after the window's
    /// garbage collection), 24 GarbageCollectionMicroseconds (uint32, how long that collection took).
    /// LoopStatistics is not (yet) a message of protocol version 1: it travels in a version-1 frame
    /// with type byte <see cref="MessageTypeCode"/>, which receivers built on the Core's FrameDecoder
    /// drop as an unknown type (and count in UnknownTypeFrames).
    /// </remarks>
    internal struct LoopStatistics
    {
        /// <summary>Type byte of the LoopStatistics frame (proposed for the protocol; unused by version 1).</summary>
        public const byte MessageTypeCode = 0x15;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 28;

        /// <summary>Last tick of the window.</summary>
        public uint TickIndex;

        /// <summary>Ticks since start-up whose work took longer than the control period.</summary>
        public uint Overruns;

        /// <summary>Control periods since start-up skipped because a tick ran past them.</summary>
        public uint SkippedPeriods;

        /// <summary>Largest |tick start - deadline| in the window, µs.</summary>
        public uint MaxJitterMicroseconds;

        /// <summary>Longest tick in the window (sensors to telemetry), µs.</summary>
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
    }
}
