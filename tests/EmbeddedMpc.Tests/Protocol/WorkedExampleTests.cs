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
}
