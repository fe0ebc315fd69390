using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

[TestClass]
public sealed class WorkedExampleTests
{
    // The worked example of PROTOCOL.md: SensorReadings, sequence 7, tick 1000, cart count 12345,
    // pole count -1200, no switch tripped. The bytes were computed outside the Core (Python's
    // zlib.crc32 and a separate COBS encoder) and typed in here.
    private const string RawHex = "02 10 07 00 15 E8 03 00 00 39 30 00 00 00 00 00 00 50 FB FF FF FF FF FF FF 00 3E 23 36 DC";
    private const string WireHex = "04 02 10 07 04 15 E8 03 01 03 39 30 01 01 01 01 01 09 50 FB FF FF FF FF FF FF 05 3E 23 36 DC 00";

    private static SensorReadingsMessage ExampleMessage() => new()
    {
        TickIndex = 1000,
        Reading = new SensorReading { CartCount = 12345, PoleCount = -1200 },
    };

    [TestMethod]
    public void TheEncoderProducesTheWorkedExampleOfTheDocumentByteForByte()
    {
        var encoder = new FrameEncoder();
        encoder.Reset(7);
        SensorReadingsMessage message = ExampleMessage();
        var wire = new byte[FrameLayout.MaxWireFrameLength];
        int length = encoder.Encode(ref message, wire, 0);
        Assert.AreEqual(WireHex, ProtocolTestSupport.Hex(wire, 0, length));

        var decoder = new FrameDecoder();
        Assert.AreEqual(length, decoder.Feed(wire, 0, length));
        Assert.IsTrue(decoder.HasFrame);
        Assert.AreEqual(RawHex, ProtocolTestSupport.Hex(decoder.Frame, 0, 30));
        var received = new SensorReadingsMessage();
        received.Read(decoder.Frame, FrameLayout.PayloadOffset);
        Assert.AreEqual(ExampleMessage().Reading, received.Reading);
        Assert.AreEqual(1000u, received.TickIndex);
    }

    [TestMethod]
    public void TheDocumentShowsTheSameBytesAsTheEncoder()
    {
        // PROTOCOL.md must not drift from the code: it shows both byte strings of the example.
        string document = File.ReadAllText(Path.Combine(RepositoryLayout.CoreSourceDirectory, "PROTOCOL.md"));
        string flattened = string.Join(" ", document.Split((char[])[' ', '\n', '\r', '|', '`'], StringSplitOptions.RemoveEmptyEntries));
        Assert.IsTrue(flattened.Contains(RawHex, StringComparison.Ordinal), "PROTOCOL.md lacks the unstuffed example bytes " + RawHex);
        Assert.IsTrue(flattened.Contains(WireHex, StringComparison.Ordinal), "PROTOCOL.md lacks the wire example bytes " + WireHex);
        Assert.IsTrue(document.Contains("0xCBF43926", StringComparison.Ordinal), "PROTOCOL.md must state the CRC check value");
    }

    // The worked ModelId of PROTOCOL.md: a rig with dry friction; the 56 rig bytes and their CRC-32 were computed
    // outside the Core (Python's struct.pack("<11fI2f", ...) and zlib.crc32) and typed in here.
    private const string RigBytesHex = "00 00 00 3F CD CC CC 3D 00 00 80 3E 6F 12 03 3C 00 00 00 3F 6F 12 83 3A 00 00 20 41 CD CC CC 3E "
        + "C3 F5 1C 41 00 40 1C 46 00 00 16 45 20 4E 00 00 CD CC 4C 3F 6F 12 03 3B";
    private const uint ExampleModelId = 0x96921F1D;

    private static ConfigurationMessage ExampleRig() => new()
    {
        CartMassKilograms = 0.5f,
        PoleMassKilograms = 0.1f,
        PivotToCenterOfMassMeters = 0.25f,
        PoleInertiaAboutPivotKilogramSquareMeters = 0.008f,
        CartDampingNewtonSecondsPerMeter = 0.5f,
        PivotDampingNewtonMeterSecondsPerRadian = 0.001f,
        MaxForceNewtons = 10f,
        TrackHalfLengthMeters = 0.4f,
        GravityMetersPerSecondSquared = 9.81f,
        CartCountsPerMeter = 10000f,
        PoleCountsPerRevolution = 2400f,
        ControlPeriodMicroseconds = 20000,
        CartCoulombFrictionNewtons = 0.8f,
        PivotCoulombFrictionNewtonMeters = 0.002f,
        Samples = 2,
        Horizon = 1,
        Iterations = 1,
        Elites = 1,
    };

    [TestMethod]
    public void TheWorkedModelIdIsTheCrcOfTheRigBytesTheMessageWrites_AndThePlannerFieldsDoNotChangeIt()
    {
        ConfigurationMessage message = ExampleRig();
        var payload = new byte[ConfigurationMessage.PayloadLength];
        message.Write(payload, 0);
        Assert.AreEqual(RigBytesHex, ProtocolTestSupport.Hex(payload, 0, ConfigurationMessage.RigFieldsLength));
        Assert.AreEqual(ExampleModelId, message.RigModelId());

        message.Samples = 900;
        message.Seed = 12345;
        Assert.AreEqual(ExampleModelId, message.RigModelId(), "the planner's fields are not part of the model");
        message.PivotCoulombFrictionNewtonMeters = 0f;
        Assert.AreNotEqual(ExampleModelId, message.RigModelId(), "the frictions are");

        string document = File.ReadAllText(Path.Combine(RepositoryLayout.CoreSourceDirectory, "PROTOCOL.md"));
        string flattened = string.Join(" ", document.Split((char[])[' ', '\n', '\r', '|', '`'], StringSplitOptions.RemoveEmptyEntries));
        Assert.IsTrue(flattened.Contains(RigBytesHex, StringComparison.Ordinal), "PROTOCOL.md lacks the worked rig bytes " + RigBytesHex);
        Assert.IsTrue(document.Contains($"ModelId, their CRC-32: `0x{ExampleModelId:X8}`", StringComparison.Ordinal), "PROTOCOL.md lacks the worked ModelId");
    }
}
