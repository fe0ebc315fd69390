using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Telemetry (type 0x13, device to host, 77-byte payload): one <see cref="TelemetryRecord"/>, every
    /// field. In HIL mode sent after the MotorCommand of the tick when the host asked for it in its Hello
    /// (<see cref="HelloMessage.FlagSendTelemetry"/>); in rig mode streamed every tick from start-up on. Plain fields; the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload: offset 0 TickIndex (uint32), 4 Mode (uint8, <see cref="SupervisorMode"/>), 5 Fault (uint8,
    /// <see cref="FaultReason"/>), 6 X, 10 XDot, 14 Theta, 18 ThetaDot, 22 Command, 26 ForceNewtons,
    /// 30 Duty, 34 PlanCost (float32 each), 38 PlanningMicroseconds, 42 ModelSteps, 46 OverrunStreak,
    /// 50 CartCount, 54 PoleCount (int32 each), 58 Inputs (uint8, <see cref="TelemetryInputs"/>), 59 Activity (uint8,
    /// <see cref="RigActivity"/>), 60 TickPeriodMicroseconds, 64 JitterMicroseconds, 68 FreeMemoryBytes (int32
    /// each), 72 ModelId (uint32), 76 ModelSource (uint8, <see cref="ModelSource"/>).
    /// </remarks>
    public struct TelemetryMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Telemetry;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 77;

        /// <summary>The record that travels.</summary>
        public TelemetryRecord Record;

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteUInt32(buffer, offset, Record.TickIndex);
            LittleEndian.WriteByte(buffer, offset + 4, (byte)Record.Mode);
            LittleEndian.WriteByte(buffer, offset + 5, (byte)Record.Fault);
            LittleEndian.WriteSingle(buffer, offset + 6, Record.State.X);
            LittleEndian.WriteSingle(buffer, offset + 10, Record.State.XDot);
            LittleEndian.WriteSingle(buffer, offset + 14, Record.State.Theta);
            LittleEndian.WriteSingle(buffer, offset + 18, Record.State.ThetaDot);
            LittleEndian.WriteSingle(buffer, offset + 22, Record.Command);
            LittleEndian.WriteSingle(buffer, offset + 26, Record.ForceNewtons);
            LittleEndian.WriteSingle(buffer, offset + 30, Record.Duty);
            LittleEndian.WriteSingle(buffer, offset + 34, Record.PlanCost);
            LittleEndian.WriteInt32(buffer, offset + 38, Record.PlanningMicroseconds);
            LittleEndian.WriteInt32(buffer, offset + 42, Record.ModelSteps);
            LittleEndian.WriteInt32(buffer, offset + 46, Record.OverrunStreak);
            LittleEndian.WriteInt32(buffer, offset + 50, Record.CartCount);
            LittleEndian.WriteInt32(buffer, offset + 54, Record.PoleCount);
            LittleEndian.WriteByte(buffer, offset + 58, Record.Inputs);
            LittleEndian.WriteByte(buffer, offset + 59, (byte)Record.Activity);
            LittleEndian.WriteInt32(buffer, offset + 60, Record.TickPeriodMicroseconds);
            LittleEndian.WriteInt32(buffer, offset + 64, Record.JitterMicroseconds);
            LittleEndian.WriteInt32(buffer, offset + 68, Record.FreeMemoryBytes);
            LittleEndian.WriteUInt32(buffer, offset + 72, Record.ModelId);
            LittleEndian.WriteByte(buffer, offset + 76, (byte)Record.ModelSource);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            Record.TickIndex = LittleEndian.ReadUInt32(buffer, offset);
            Record.Mode = (SupervisorMode)LittleEndian.ReadByte(buffer, offset + 4);
            Record.Fault = (FaultReason)LittleEndian.ReadByte(buffer, offset + 5);
            Record.State.X = LittleEndian.ReadSingle(buffer, offset + 6);
            Record.State.XDot = LittleEndian.ReadSingle(buffer, offset + 10);
            Record.State.Theta = LittleEndian.ReadSingle(buffer, offset + 14);
            Record.State.ThetaDot = LittleEndian.ReadSingle(buffer, offset + 18);
            Record.Command = LittleEndian.ReadSingle(buffer, offset + 22);
            Record.ForceNewtons = LittleEndian.ReadSingle(buffer, offset + 26);
            Record.Duty = LittleEndian.ReadSingle(buffer, offset + 30);
            Record.PlanCost = LittleEndian.ReadSingle(buffer, offset + 34);
            Record.PlanningMicroseconds = LittleEndian.ReadInt32(buffer, offset + 38);
            Record.ModelSteps = LittleEndian.ReadInt32(buffer, offset + 42);
            Record.OverrunStreak = LittleEndian.ReadInt32(buffer, offset + 46);
            Record.CartCount = LittleEndian.ReadInt32(buffer, offset + 50);
            Record.PoleCount = LittleEndian.ReadInt32(buffer, offset + 54);
            Record.Inputs = LittleEndian.ReadByte(buffer, offset + 58);
            Record.Activity = (RigActivity)LittleEndian.ReadByte(buffer, offset + 59);
            Record.TickPeriodMicroseconds = LittleEndian.ReadInt32(buffer, offset + 60);
            Record.JitterMicroseconds = LittleEndian.ReadInt32(buffer, offset + 64);
            Record.FreeMemoryBytes = LittleEndian.ReadInt32(buffer, offset + 68);
            Record.ModelId = LittleEndian.ReadUInt32(buffer, offset + 72);
            Record.ModelSource = (ModelSource)LittleEndian.ReadByte(buffer, offset + 76);
        }
    }
}
