using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class MessageTests
{
    [TestMethod]
    public void TypeCodesAndPayloadLengthsAreThoseOfTheProtocolDocument()
    {
        foreach (MessageSpec spec in ProtocolTestSupport.MessageTable)
        {
            Assert.AreEqual(spec.Code, (byte)spec.Type, $"{spec.Type}: type code");
            Assert.AreEqual(spec.Type, (MessageType)spec.MessageStruct.GetField("Type")!.GetValue(null)!, $"{spec.MessageStruct.Name}.Type");
            Assert.AreEqual(spec.PayloadLength, (int)spec.MessageStruct.GetField("PayloadLength")!.GetValue(null)!, $"{spec.MessageStruct.Name}.PayloadLength");
            Assert.AreEqual(spec.PayloadLength, FrameLayout.PayloadLengthOf(spec.Code), $"FrameLayout.PayloadLengthOf({spec.Type})");
            Assert.IsTrue(spec.PayloadLength <= FrameLayout.MaxPayloadLength, $"{spec.Type} exceeds MaxPayloadLength");
        }

        // Every enum member but the reserved None has a row, and no other byte is a known type.
        CollectionAssert.AreEquivalent(
            Enum.GetValues<MessageType>().Where(t => t != MessageType.None).ToArray(),
            ProtocolTestSupport.MessageTable.Select(s => s.Type).ToArray());
        for (int code = 0; code < 256; code++)
        {
            if (ProtocolTestSupport.SpecifiedPayloadLength((byte)code) < 0)
            {
                Assert.AreEqual(-1, FrameLayout.PayloadLengthOf((byte)code), $"byte 0x{code:X2} is not a message type");
            }
        }
    }

    [TestMethod]
    public void TheDocumentsMessageTableSectionsAndPythonPeerNameEveryTypeWithItsCodeAndLength()
    {
        // PROTOCOL.md states each type three times: a row of the message table, the heading of its payload
        // section, and the Python peer's PAYLOAD_LENGTH. All three must list exactly the code's types.
        string document = File.ReadAllText(Path.Combine(RepositoryLayout.CoreSourceDirectory, "PROTOCOL.md"));
        var expected = ProtocolTestSupport.MessageTable
            .Select(spec => $"0x{spec.Code:X2} {spec.Type} {spec.PayloadLength}")
            .OrderBy(line => line, StringComparer.Ordinal)
            .ToArray();

        string[] tableRows = Regex.Matches(document, @"^\| `0x(?<code>[0-9A-F]{2})` \| (?<name>\w+) \| [^|]+\| (?<length>\d+) \|", RegexOptions.Multiline)
            .Select(m => $"0x{m.Groups["code"].Value} {m.Groups["name"].Value} {m.Groups["length"].Value}")
            .OrderBy(line => line, StringComparer.Ordinal)
            .ToArray();
        CollectionAssert.AreEqual(expected, tableRows, "message table: " + string.Join(", ", tableRows));

        string[] headings = Regex.Matches(document, @"^### (?<name>\w+) \(`0x(?<code>[0-9A-F]{2})`, [^,]+, (?<length>\d+) bytes?\)", RegexOptions.Multiline)
            .Select(m => $"0x{m.Groups["code"].Value} {m.Groups["name"].Value} {m.Groups["length"].Value}")
            .OrderBy(line => line, StringComparer.Ordinal)
            .ToArray();
        CollectionAssert.AreEqual(expected, headings, "payload sections: " + string.Join(", ", headings));

        Match python = Regex.Match(document, @"PAYLOAD_LENGTH = \{(?<body>[^}]*)\}");
        Assert.IsTrue(python.Success, "PROTOCOL.md's Python peer has no PAYLOAD_LENGTH table");
        var pythonLengths = Regex.Matches(python.Groups["body"].Value, @"0x(?<code>[0-9A-F]{2}): (?<length>\d+)")
            .ToDictionary(m => Convert.ToByte(m.Groups["code"].Value, 16), m => int.Parse(m.Groups["length"].Value, CultureInfo.InvariantCulture));
        CollectionAssert.AreEquivalent(
            ProtocolTestSupport.MessageTable.Select(spec => (spec.Code, spec.PayloadLength)).ToArray(),
            pythonLengths.Select(pair => (pair.Key, pair.Value)).ToArray(),
            "the Python peer's PAYLOAD_LENGTH");
    }

    [TestMethod]
    public void FrameSizeConstantsFollowFromTheLayout()
    {
        Assert.AreEqual(5, FrameLayout.HeaderLength);
        Assert.AreEqual(9, FrameLayout.MinRawFrameLength);
        Assert.AreEqual(137, FrameLayout.MaxRawFrameLength);
        Assert.AreEqual(Cobs.MaxEncodedLength(FrameLayout.MaxRawFrameLength), FrameLayout.MaxStuffedFrameLength);
        Assert.AreEqual(139, FrameLayout.MaxWireFrameLength);
        Assert.AreEqual(2, FrameLayout.ProtocolVersion);
    }

    [TestMethod]
    public void EveryMessageRoundTripsThroughEncoderAndDecoder()
    {
        // 500 seeded random instances of each message type (every field random, floats over all finite
        // magnitudes, enums over all 256 byte values), encoded, pushed through a decoder byte by byte and
        // read back: every field must come back bit for bit.
        var random = new Random(2718);
        var encoder = new FrameEncoder();
        var decoder = new FrameDecoder();
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        foreach (MessageSpec spec in ProtocolTestSupport.MessageTable)
        {
            for (int trial = 0; trial < 500; trial++)
            {
                object sent = ProtocolTestSupport.RandomMessage(spec.MessageStruct, random);
                ushort sequence = encoder.NextSequence;
                int length = ProtocolTestSupport.EncodeBoxed(encoder, sent, wire, 0);
                Assert.AreEqual(FrameLayout.HeaderLength + spec.PayloadLength + FrameLayout.CrcLength + 2, length,
                    $"{spec.Type}: frames under 254 bytes have exactly one stuffing byte and one delimiter");
                Assert.AreEqual(0, wire[length - 1], "the frame ends with the delimiter");

                bool completed = false;
                for (int i = 0; i < length; i++)
                {
                    completed = decoder.Push(wire[i]);
                    Assert.AreEqual(i == length - 1, completed, $"{spec.Type}: frame completed at byte {i} of {length}");
                }

                Assert.AreEqual(spec.Type, decoder.MessageType);
                Assert.AreEqual(sequence, decoder.Sequence);
                Assert.AreEqual(spec.PayloadLength, decoder.PayloadLength);
                object received = ProtocolTestSupport.ReadBoxed(spec.MessageStruct, decoder);
                List<string> differences = ProtocolTestSupport.Differences(sent, received);
                Assert.AreEqual(0, differences.Count, $"{spec.Type} trial {trial}: " + string.Join("; ", differences));
            }
        }

        Assert.AreEqual(0u, decoder.FramesRejected);
        Assert.AreEqual(0u, decoder.SequenceGaps + decoder.DuplicateFrames + decoder.SequenceRestarts);
    }

    [TestMethod]
    public void EveryPayloadByteCarriesDataAndWriteStaysInsideThePayload()
    {
        // A layout with a hole (a byte no field writes) or an overlap would show here: over 64 random
        // instances every payload byte must take more than one value, and nothing outside
        // [offset, offset + PayloadLength) may change.
        var random = new Random(31);
        const int offset = 7;
        foreach (MessageSpec spec in ProtocolTestSupport.MessageTable)
        {
            var seen = new HashSet<byte>[spec.PayloadLength];
            for (int i = 0; i < seen.Length; i++)
            {
                seen[i] = [];
            }

            for (int trial = 0; trial < 64; trial++)
            {
                var buffer = Enumerable.Repeat((byte)0xA5, offset + spec.PayloadLength + 9).ToArray();
                object message = ProtocolTestSupport.RandomMessage(spec.MessageStruct, random);
                spec.MessageStruct.GetMethod("Write")!.Invoke(message, [buffer, offset]);
                for (int i = 0; i < buffer.Length; i++)
                {
                    if (i < offset || i >= offset + spec.PayloadLength)
                    {
                        Assert.AreEqual(0xA5, buffer[i], $"{spec.Type}.Write changed byte {i - offset} relative to the payload");
                    }
                    else
                    {
                        seen[i - offset].Add(buffer[i]);
                    }
                }
            }

            for (int i = 0; i < seen.Length; i++)
            {
                Assert.IsTrue(seen[i].Count > 1, $"{spec.Type}: payload byte {i} never changes, so no field is written there");
            }
        }
    }

    [TestMethod]
    public void TelemetryCarriesEveryFieldOfTelemetryRecord()
    {
        // Guards against TelemetryRecord growing a field that the protocol silently drops: the message
        // embeds the record, so a random record must survive encode/decode whole, and the field list is
        // the one PROTOCOL.md documents.
        CollectionAssert.AreEqual(
            new[] { "TickIndex", "Mode", "Fault", "State.X", "State.XDot", "State.Theta", "State.ThetaDot", "Command", "ForceNewtons", "Duty", "PlanCost", "PlanningMicroseconds", "ModelSteps", "OverrunStreak",
                "CartCount", "PoleCount", "Inputs", "Activity", "TickPeriodMicroseconds", "JitterMicroseconds", "FreeMemoryBytes", "ModelId", "ModelSource" },
            ProtocolTestSupport.LeafFieldNames(typeof(TelemetryRecord)).ToArray(),
            "TelemetryRecord changed: update TelemetryMessage, its payload table in PROTOCOL.md and this list");
        var message = new TelemetryMessage();
        message.Record = new TelemetryRecord
        {
            TickIndex = 123456, Mode = SupervisorMode.Balance, Fault = FaultReason.None, State = new CartPoleState(0.1f, -0.2f, 0.03f, -4f),
            Command = 0.5f, ForceNewtons = 12.5f, Duty = -0.25f, PlanCost = 3.75f, PlanningMicroseconds = 15000, ModelSteps = 960, OverrunStreak = 2,
            CartCount = -123456789, PoleCount = 2047, Inputs = TelemetryInputs.NegativeLimit | TelemetryInputs.Button, Activity = RigActivity.Excitation,
            TickPeriodMicroseconds = 20011, JitterMicroseconds = 13, FreeMemoryBytes = -1, ModelId = 0xDEADBEEF, ModelSource = ModelSource.BuiltInStoredCorrupt,
        };
        TelemetryMessage received = RoundTrip(message);
        Assert.AreEqual(message.Record, received.Record);
    }

    [TestMethod]
    public void SensorReadingsCarryEverySensorOfSensorReading()
    {
        CollectionAssert.AreEqual(
            new[] { "CartCount", "PoleCount", "NegativeLimitTripped", "PositiveLimitTripped", "EmergencyStopPressed" },
            ProtocolTestSupport.LeafFieldNames(typeof(SensorReading)).ToArray(),
            "SensorReading changed: update SensorReadingsMessage, PROTOCOL.md and this list");
        for (int flags = 0; flags < 8; flags++)
        {
            var message = new SensorReadingsMessage
            {
                TickIndex = uint.MaxValue,
                Reading = new SensorReading
                {
                    CartCount = long.MinValue + flags, PoleCount = long.MaxValue - flags,
                    NegativeLimitTripped = (flags & 1) != 0, PositiveLimitTripped = (flags & 2) != 0, EmergencyStopPressed = (flags & 4) != 0,
                },
            };
            SensorReadingsMessage received = RoundTrip(message);
            Assert.AreEqual(message.Reading, received.Reading, $"flags {flags}");
            Assert.AreEqual(uint.MaxValue, received.TickIndex);
        }
    }

    [TestMethod]
    public void ConfigurationHasAFieldForEveryCartPoleParameterAndCopiesARigProfileExactly()
    {
        // Every property of CartPoleParameters must have a ConfigurationMessage field of the same name, and
        // a profile copied into a message, sent and copied out must give back the same parameters (the dry
        // frictions identify fits included: a device configured over the link plans with them).
        PropertyInfo[] properties = typeof(CartPoleParameters).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.IsTrue(properties.Length >= 11);
        foreach (PropertyInfo property in properties)
        {
            Assert.IsNotNull(typeof(ConfigurationMessage).GetField(property.Name), $"ConfigurationMessage lacks {property.Name}: the device could not get the whole rig");
        }

        foreach (RigProfile profile in RigProfilesUnderTest())
        {
            var message = new ConfigurationMessage();
            message.SetRig(profile);
            message.SetPlanner(new CemSettings { Samples = 24, Horizon = 40, Iterations = 3, Elites = 4, Seed = 77 });
            ConfigurationMessage received = RoundTrip(message);

            var parameters = new CartPoleParameters();
            received.CopyParametersTo(parameters);
            CartPoleParameters original = profile.CopyParameters();
            foreach (PropertyInfo property in properties)
            {
                Assert.AreEqual(property.GetValue(original), property.GetValue(parameters), $"{profile.Name}: {property.Name}");
            }

            parameters.Validate();
            Assert.AreEqual(profile.CartCountsPerMeter, received.CartCountsPerMeter, profile.Name);
            Assert.AreEqual(profile.PoleCountsPerRevolution, received.PoleCountsPerRevolution, profile.Name);
            Assert.AreEqual((uint)Math.Round(profile.ControlPeriodSeconds * 1e6), received.ControlPeriodMicroseconds, profile.Name);

            var settings = new CemSettings();
            received.CopyPlannerTo(settings);
            Assert.AreEqual((24, 40, 3, 4, 77u), (settings.Samples, settings.Horizon, settings.Iterations, settings.Elites, settings.Seed));
        }
    }

    [TestMethod]
    public void ConfigurationToProfile_GivesBackTheSentRig_WithTheBaseProfilesDriveAndOffsets_AndChecksItsRanges()
    {
        // The device side of a Configuration: the rig fields come from the message, what the message does
        // not carry (drive model, switch and end-stop offsets, name) from the device's own base profile.
        foreach (RigProfile profile in RigProfilesUnderTest())
        {
            var message = new ConfigurationMessage();
            message.SetRig(profile);
            RigProfile rebuilt = RoundTrip(message).ToProfile(RigProfiles.Esp32Rig());
            CollectionAssert.AreEqual(ParameterValues(profile.CopyParameters()), ParameterValues(rebuilt.CopyParameters()), profile.Name);
            Assert.AreEqual((profile.CartCountsPerMeter, profile.PoleCountsPerRevolution, profile.ControlPeriodSeconds),
                (rebuilt.CartCountsPerMeter, rebuilt.PoleCountsPerRevolution, rebuilt.ControlPeriodSeconds), profile.Name);
            RigProfile device = RigProfiles.Esp32Rig();
            Assert.AreEqual((device.Name, device.LimitSwitchOffsetMeters, device.EndStopOffsetMeters), (rebuilt.Name, rebuilt.LimitSwitchOffsetMeters, rebuilt.EndStopOffsetMeters));
            Assert.AreEqual(device.CopyMotor().StallForcePerDutyNewtons(), rebuilt.CopyMotor().StallForcePerDutyNewtons());
        }

        var bad = new ConfigurationMessage();
        bad.SetRig(RigProfiles.Esp32Rig());
        bad.ControlPeriodMicroseconds = 1_000_001;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => bad.ToProfile(RigProfiles.Esp32Rig())).Message, "ControlPeriodMicroseconds");
        bad.ControlPeriodMicroseconds = 20_000;
        bad.PoleInertiaAboutPivotKilogramSquareMeters = 1001f;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => bad.ToProfile(RigProfiles.Esp32Rig())).Message, "PoleInertiaAboutPivotKilogramSquareMeters");
        bad.PoleInertiaAboutPivotKilogramSquareMeters = RigProfiles.Esp32Rig().CopyParameters().PoleInertiaAboutPivotKilogramSquareMeters;
        bad.CartCountsPerMeter = -1f;
        Assert.ThrowsExactly<ArgumentException>(() => bad.ToProfile(RigProfiles.Esp32Rig()));
    }

    private static object?[] ParameterValues(CartPoleParameters parameters) =>
        typeof(CartPoleParameters).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.GetValue(parameters)).ToArray();

    private static IEnumerable<RigProfile> RigProfilesUnderTest()
    {
        // The built-in profiles (RigProfiles' parameterless factory methods), found by reflection so the test
        // follows RigProfiles as it grows.
        RigProfile[] profiles = typeof(RigProfiles).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(RigProfile) && m.GetParameters().Length == 0)
            .Select(m => (RigProfile)m.Invoke(null, null)!)
            .ToArray();
        Assert.IsTrue(profiles.Length > 0, "no built-in rig profile found on RigProfiles");

        // And a rig as identify writes it, with dry friction on the cart and the pivot, so every parameter travels
        // with a value that is not its default.
        RigProfile builtIn = RigProfiles.Esp32Rig();
        CartPoleParameters withFriction = builtIn.CopyParameters();
        withFriction.CartCoulombFrictionNewtons = 0.83f;
        withFriction.PivotCoulombFrictionNewtonMeters = 0.0021f;
        var identified = new RigProfile("identified", "with dry friction", withFriction, builtIn.CopyMotor(), builtIn.CartCountsPerMeter,
            builtIn.PoleCountsPerRevolution, builtIn.ControlPeriodSeconds, builtIn.LimitSwitchOffsetMeters, builtIn.EndStopOffsetMeters);
        return [.. profiles, identified];
    }

    private static T RoundTrip<T>(T message)
        where T : struct
    {
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        int length = ProtocolTestSupport.EncodeBoxed(new FrameEncoder(), message, wire, 0);
        var decoder = new FrameDecoder();
        Assert.AreEqual(length, decoder.Feed(wire, 0, length));
        Assert.IsTrue(decoder.HasFrame, "the frame was not accepted");
        return (T)ProtocolTestSupport.ReadBoxed(typeof(T), decoder);
    }
}
