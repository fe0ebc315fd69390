using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using EmbeddedMpc.Core.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

/// <summary>One row of the message table of PROTOCOL.md: what a peer written from the document expects.</summary>
internal sealed record MessageSpec(Type MessageStruct, MessageType Type, byte Code, int PayloadLength);

/// <summary>
/// Oracles written independently of the Core (bitwise CRC, the message table typed in from PROTOCOL.md)
/// and reflection helpers that fill, encode, decode and compare any message struct.
/// </summary>
internal static class ProtocolTestSupport
{
    /// <summary>The message table of PROTOCOL.md, typed in by hand: type codes and fixed payload lengths.</summary>
    public static readonly MessageSpec[] MessageTable =
    [
        new(typeof(HelloMessage), MessageType.Hello, 0x01, 9),
        new(typeof(HelloAckMessage), MessageType.HelloAck, 0x02, 18),
        new(typeof(ConfigurationMessage), MessageType.Configuration, 0x03, 76),
        new(typeof(CommandMessage), MessageType.Command, 0x04, 5),
        new(typeof(AckMessage), MessageType.Ack, 0x05, 9),
        new(typeof(HeartbeatMessage), MessageType.Heartbeat, 0x06, 8),
        new(typeof(SensorReadingsMessage), MessageType.SensorReadings, 0x10, 21),
        new(typeof(MotorCommandMessage), MessageType.MotorCommand, 0x11, 12),
        new(typeof(TickStatisticsMessage), MessageType.TickStatistics, 0x12, 16),
        new(typeof(TelemetryMessage), MessageType.Telemetry, 0x13, 77),
        new(typeof(FaultMessage), MessageType.Fault, 0x14, 5),
        new(typeof(LoopStatisticsMessage), MessageType.LoopStatistics, 0x15, 28),
    ];

    /// <summary>Payload length of a type code per <see cref="MessageTable"/>, or -1.</summary>
    public static int SpecifiedPayloadLength(byte code)
    {
        foreach (MessageSpec spec in MessageTable)
        {
            if (spec.Code == code)
            {
                return spec.PayloadLength;
            }
        }

        return -1;
    }

    /// <summary>CRC-32/ISO-HDLC bit by bit, straight from the definition (reflected polynomial 0xEDB88320).</summary>
    public static uint ReferenceCrc32(byte[] data, int offset, int count)
    {
        uint register = 0xFFFFFFFFu;
        for (int i = offset; i < offset + count; i++)
        {
            register ^= data[i];
            for (int bit = 0; bit < 8; bit++)
            {
                register = (register & 1) != 0 ? (register >> 1) ^ 0xEDB88320u : register >> 1;
            }
        }

        return ~register;
    }

    /// <summary>
    /// Checks an accepted frame against PROTOCOL.md without using the decoder's code: version 2, a known
    /// type, length byte = the type's fixed length = the bytes present, CRC recomputed bit by bit.
    /// Returns null when it conforms, else what is wrong.
    /// </summary>
    public static string? WhyNotConforming(byte[] frame, int frameLength)
    {
        if (frameLength < 9)
        {
            return $"only {frameLength} bytes";
        }

        if (frame[0] != 2)
        {
            return $"version {frame[0]}";
        }

        int specified = SpecifiedPayloadLength(frame[1]);
        if (specified < 0)
        {
            return $"unknown type 0x{frame[1]:X2}";
        }

        if (frame[4] != specified || frameLength != 5 + specified + 4)
        {
            return $"type 0x{frame[1]:X2} with length byte {frame[4]} in a {frameLength}-byte frame; the type has {specified}";
        }

        uint carried = BitConverter.ToUInt32(frame, frameLength - 4);
        uint computed = ReferenceCrc32(frame, 0, frameLength - 4);
        return carried == computed ? null : $"CRC 0x{carried:X8}, computed 0x{computed:X8}";
    }

    /// <summary>A random finite float spread over all magnitudes, never NaN and never -0 (those two are not preserved).</summary>
    public static float RandomFiniteFloat(Random random)
    {
        while (true)
        {
            float value = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
            if (float.IsFinite(value) && BitConverter.SingleToUInt32Bits(value) != 0x80000000u)
            {
                return value;
            }
        }
    }

    /// <summary>A boxed message struct whose every field (recursively) holds a random value.</summary>
    public static object RandomMessage(Type messageStruct, Random random)
    {
        object message = Activator.CreateInstance(messageStruct)!;
        FillRandomly(message, random);
        return message;
    }

    /// <summary>Sets every public instance field of the boxed struct <paramref name="boxed"/> (recursively) to a random value.</summary>
    public static void FillRandomly(object boxed, Random random)
    {
        foreach (FieldInfo field in boxed.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            field.SetValue(boxed, RandomValue(field.FieldType, random));
        }
    }

    /// <summary>
    /// Encodes the boxed message with <paramref name="encoder"/>'s typed Encode overload (found by
    /// reflection, so every message type is covered the same way); returns the bytes written.
    /// </summary>
    public static int EncodeBoxed(FrameEncoder encoder, object message, byte[] output, int offset)
    {
        MethodInfo encode = typeof(FrameEncoder).GetMethod(
            nameof(FrameEncoder.Encode),
            [message.GetType().MakeByRefType(), typeof(byte[]), typeof(int)])
            ?? throw new AssertFailedException($"FrameEncoder has no Encode(ref {message.GetType().Name}, byte[], int)");
        return (int)encode.Invoke(encoder, [message, output, offset])!;
    }

    /// <summary>Reads the decoder's current frame into a new instance of <paramref name="messageStruct"/>.</summary>
    public static object ReadBoxed(Type messageStruct, FrameDecoder decoder)
    {
        object message = Activator.CreateInstance(messageStruct)!;
        messageStruct.GetMethod("Read")!.Invoke(message, [decoder.Frame, FrameLayout.PayloadOffset]);
        return message;
    }

    /// <summary>Field-by-field differences between two boxed structs (recursively; floats by their bits), one line each.</summary>
    public static List<string> Differences(object expected, object actual, string path = "")
    {
        var differences = new List<string>();
        foreach (FieldInfo field in expected.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            object? e = field.GetValue(expected);
            object? a = field.GetValue(actual);
            string name = path + field.Name;
            if (IsNestedStruct(field.FieldType))
            {
                differences.AddRange(Differences(e!, a!, name + "."));
            }
            else if (e is float ef && a is float af)
            {
                if (BitConverter.SingleToUInt32Bits(ef) != BitConverter.SingleToUInt32Bits(af))
                {
                    differences.Add($"{name}: sent {ef:R}, received {af:R}");
                }
            }
            else if (!Equals(e, a))
            {
                differences.Add($"{name}: sent {e}, received {a}");
            }
        }

        return differences;
    }

    /// <summary>Names of the leaf fields of a struct, recursively ("Record.State.X").</summary>
    public static IEnumerable<string> LeafFieldNames(Type type, string path = "")
    {
        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (IsNestedStruct(field.FieldType))
            {
                foreach (string name in LeafFieldNames(field.FieldType, path + field.Name + "."))
                {
                    yield return name;
                }
            }
            else
            {
                yield return path + field.Name;
            }
        }
    }

    /// <summary>Bytes as space-separated upper-case hex pairs.</summary>
    public static string Hex(byte[] bytes, int offset, int count) =>
        string.Join(" ", bytes.Skip(offset).Take(count).Select(b => b.ToString("X2")));

    private static bool IsNestedStruct(Type type) => type.IsValueType && !type.IsPrimitive && !type.IsEnum;

    private static object RandomValue(Type type, Random random)
    {
        if (type.IsEnum)
        {
            return Enum.ToObject(type, (byte)random.Next(256));
        }

        if (type == typeof(float))
        {
            return RandomFiniteFloat(random);
        }

        if (type == typeof(bool))
        {
            return random.Next(2) == 1;
        }

        if (type == typeof(byte))
        {
            return (byte)random.Next(256);
        }

        if (type == typeof(ushort))
        {
            return (ushort)random.Next(65536);
        }

        if (type == typeof(int))
        {
            return (int)(uint)random.NextInt64(0, 1L << 32);
        }

        if (type == typeof(uint))
        {
            return (uint)random.NextInt64(0, 1L << 32);
        }

        if (type == typeof(long))
        {
            return random.NextInt64(long.MinValue, long.MaxValue);
        }

        if (IsNestedStruct(type))
        {
            object nested = Activator.CreateInstance(type)!;
            FillRandomly(nested, random);
            return nested;
        }

        throw new AssertFailedException($"No random generator for field type {type}; extend ProtocolTestSupport.RandomValue.");
    }
}
