namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>What a <see cref="CommandMessage"/> asks of the device (byte values are part of the protocol).</summary>
    public enum DeviceCommand : byte
    {
        /// <summary>Reserved; rejected.</summary>
        None = 0,

        /// <summary>Leave Idle or Ready: home if needed, then swing up and balance.</summary>
        Start = 1,

        /// <summary>Motor off; back to Ready (or Idle if not homed).</summary>
        Stop = 2,

        /// <summary>Leave Fault (and clear the planner state) once the fault's cause is gone.</summary>
        Reset = 3,

        /// <summary>
        /// Rig mode: leave Idle or Ready, home if needed, then run the excitation policy through the supervisor for
        /// the message's <see cref="CommandMessage.DurationMilliseconds"/>, then stop (back to Ready).
        /// </summary>
        Excite = 4,
    }

    /// <summary>
    /// Command (type 0x04, host to device, 5-byte payload): start, stop, reset or excite. The device answers
    /// with an <see cref="AckMessage"/>. Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>Payload: offset 0 Command (uint8, <see cref="DeviceCommand"/>), 1 DurationMilliseconds (uint32).</remarks>
    public struct CommandMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Command;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 5;

        /// <summary>The command. A byte outside the enum is carried as is; the device rejects it.</summary>
        public DeviceCommand Command;

        /// <summary>
        /// For <see cref="DeviceCommand.Excite"/>: how long the excitation runs once homed, ms;
        /// [<see cref="MinExcitationMilliseconds"/>, <see cref="MaxExcitationMilliseconds"/>]. Sent as 0 and ignored otherwise.
        /// </summary>
        public uint DurationMilliseconds;

        /// <summary>Shortest excitation a device accepts, ms (1 s: the policy fades in over its first second).</summary>
        public const uint MinExcitationMilliseconds = 1000;

        /// <summary>Longest excitation a device accepts, ms (10 min).</summary>
        public const uint MaxExcitationMilliseconds = 600000;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteByte(buffer, offset, (byte)Command);
            LittleEndian.WriteUInt32(buffer, offset + 1, DurationMilliseconds);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            Command = (DeviceCommand)LittleEndian.ReadByte(buffer, offset);
            DurationMilliseconds = LittleEndian.ReadUInt32(buffer, offset + 1);
        }
    }
}
