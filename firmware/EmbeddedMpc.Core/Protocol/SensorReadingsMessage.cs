using EmbeddedMpc.Core.Hardware;

namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// SensorReadings (type 0x10, host to device, 21-byte payload): one <see cref="SensorReading"/>
    /// for one control tick, sent by the host once per control period in HIL runs. Plain fields; the
    /// caller allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 TickIndex (uint32), 4 CartCount (int64), 12 PoleCount (int64), 20 Flags (uint8:
    /// bit 0 negative limit tripped, bit 1 positive limit tripped, bit 2 emergency stop pressed; bits 3-7
    /// are sent as 0 and ignored).
    /// </remarks>
    public struct SensorReadingsMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.SensorReadings;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 21;

        /// <summary>Flags bit: <see cref="SensorReading.NegativeLimitTripped"/>.</summary>
        public const byte FlagNegativeLimitTripped = 0x01;

        /// <summary>Flags bit: <see cref="SensorReading.PositiveLimitTripped"/>.</summary>
        public const byte FlagPositiveLimitTripped = 0x02;

        /// <summary>Flags bit: <see cref="SensorReading.EmergencyStopPressed"/>.</summary>
        public const byte FlagEmergencyStopPressed = 0x04;

        /// <summary>Tick index this reading belongs to: 0 for the first tick after Start, +1 per control period, wrapping at 2^32.</summary>
        public uint TickIndex;

        /// <summary>The sensors (all five fields of <see cref="SensorReading"/> travel).</summary>
        public SensorReading Reading;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, TickIndex);
            LittleEndian.WriteInt64(buffer, offset + 4, Reading.CartCount);
            LittleEndian.WriteInt64(buffer, offset + 12, Reading.PoleCount);
            int flags = 0;
            if (Reading.NegativeLimitTripped)
            {
                flags |= FlagNegativeLimitTripped;
            }

            if (Reading.PositiveLimitTripped)
            {
                flags |= FlagPositiveLimitTripped;
            }

            if (Reading.EmergencyStopPressed)
            {
                flags |= FlagEmergencyStopPressed;
            }

            LittleEndian.WriteByte(buffer, offset + 20, (byte)flags);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            TickIndex = LittleEndian.ReadUInt32(buffer, offset);
            Reading.CartCount = LittleEndian.ReadInt64(buffer, offset + 4);
            Reading.PoleCount = LittleEndian.ReadInt64(buffer, offset + 12);
            byte flags = LittleEndian.ReadByte(buffer, offset + 20);
            Reading.NegativeLimitTripped = (flags & FlagNegativeLimitTripped) != 0;
            Reading.PositiveLimitTripped = (flags & FlagPositiveLimitTripped) != 0;
            Reading.EmergencyStopPressed = (flags & FlagEmergencyStopPressed) != 0;
        }
    }
}
