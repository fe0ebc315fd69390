using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.Firmware;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Protocol;

/// <summary>
/// PROTOCOL.md's Configuration table is the one statement of what a device accepts: this test reads its
/// range column and, at each bound, sets the field of an otherwise valid Configuration just inside and
/// just outside (the neighbouring float32, or the next integer), and checks the Core's validation and
/// the two devices (the firmware's HIL controller, the virtual device's) against it.
/// </summary>
[TestClass]
public sealed class ConfigurationTableTests
{
    private sealed record Row(string Field, string Range);

    private static IReadOnlyList<Row> DocumentRows()
    {
        string document = File.ReadAllText(Path.Combine(RepositoryLayout.CoreSourceDirectory, "PROTOCOL.md"));
        int section = document.IndexOf("### Configuration (`0x03`", StringComparison.Ordinal);
        Assert.IsTrue(section >= 0, "PROTOCOL.md has no Configuration section");
        string[] lines = document[section..].Split('\n');
        var rows = new List<Row>();
        foreach (string line in lines.SkipWhile(l => !l.StartsWith("| offset", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Split('|').Select(c => c.Trim()).ToArray();
            rows.Add(new Row(cells[4], cells[6]));
        }

        return rows;
    }

    private static ConfigurationMessage Valid()
    {
        var message = new ConfigurationMessage();
        message.SetRig(RigProfiles.Esp32Rig());
        message.SetPlanner(EmbeddedMpc.Firmware.ControlStack.DefaultPlannerSettings());
        return message;
    }

    [TestMethod]
    public void TheTableNamesEveryFieldOfTheMessageInPayloadOrder()
    {
        string[] fields = typeof(ConfigurationMessage).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name).ToArray();
        CollectionAssert.AreEqual(fields, DocumentRows().Select(r => r.Field).ToArray());
        for (int i = 0; i < fields.Length; i++)
        {
            Assert.AreEqual((AckDetail)(i + 1), Enum.Parse<AckDetail>(fields[i]), "the Ack's Detail numbers the fields in payload order");
        }
    }

    [TestMethod]
    public void EachBoundOfTheTableIsExactlyWhereTheValidationAndBothDevicesChangeTheirAnswer()
    {
        var failures = new List<string>();
        int checkedBounds = 0;
        foreach (Row row in DocumentRows())
        {
            FieldInfo field = typeof(ConfigurationMessage).GetField(row.Field)!;
            if (row.Range == "any")
            {
                foreach (uint value in new[] { 0u, uint.MaxValue })
                {
                    Expect(field, value, AckDetail.None, failures);
                }

                continue;
            }

            Match range = Regex.Match(row.Range, @"^(?<open>[\[(])(?<low>[^,]+), (?<high>[^\]]+)\]$");
            Assert.IsTrue(range.Success, $"{row.Field}: cannot read the range '{row.Range}'");
            AckDetail detail = Enum.Parse<AckDetail>(row.Field);
            object low = Bound(range.Groups["low"].Value, field.FieldType);
            object high = Bound(range.Groups["high"].Value, field.FieldType);
            bool lowIncluded = range.Groups["open"].Value == "[";

            Expect(field, lowIncluded ? low : Next(low), AckDetail.None, failures);
            Expect(field, lowIncluded ? Previous(low) : low, detail, failures);
            Expect(field, high, AckDetail.None, failures);
            Expect(field, Next(high), detail, failures);
            if (field.FieldType == typeof(float))
            {
                Expect(field, float.NaN, detail, failures);
            }

            checkedBounds += 2;
        }

        Assert.AreEqual(18 * 2, checkedBounds, "every field but Seed has two bounds");
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
    }

    // Sets the field of a valid message and checks the Core's answer; where the answer is a physical or
    // encoder value (whose acceptance does not depend on the planner's work), both devices must agree.
    private static void Expect(FieldInfo field, object value, AckDetail expected, List<string> failures)
    {
        object boxed = Valid();
        field.SetValue(boxed, value);
        var message = (ConfigurationMessage)boxed;
        if (field.Name != nameof(ConfigurationMessage.PoleInertiaAboutPivotKilogramSquareMeters))
        {
            // A heavier or longer pole needs the inertia its mass implies (the one dependent range).
            message.PoleInertiaAboutPivotKilogramSquareMeters = MathF.Max(message.PoleInertiaAboutPivotKilogramSquareMeters,
                message.PoleMassKilograms * message.PivotToCenterOfMassMeters * message.PivotToCenterOfMassMeters);
        }

        string what = $"{field.Name} = {Convert.ToString(value, CultureInfo.InvariantCulture)}";
        AckDetail core = ConfigurationRules.CheckRanges(ref message);
        if (core != expected)
        {
            failures.Add($"{what}: ConfigurationRules says {core}, the table {expected}");
        }

        AckDetail fieldDetail = Enum.Parse<AckDetail>(field.Name);
        if (fieldDetail == AckDetail.ControlPeriodMicroseconds || fieldDetail >= AckDetail.Samples)
        {
            return; // period and planner sizes at their bounds ask for more work than a device runs; the work rule has its own tests
        }

        AckStatus status = expected == AckDetail.None ? AckStatus.Accepted : AckStatus.InvalidValue;
        var firmware = new HilBench();
        firmware.Hello(0);
        AckStatus firmwareStatus = firmware.Configure(message);
        if (firmwareStatus != status || firmware.LastAck.Detail != expected)
        {
            failures.Add($"{what}: the firmware answers {firmwareStatus} ({firmware.LastAck.Detail}), the table {status} ({expected})");
        }

        var controller = new VirtualDeviceController(new RunSettings { Planner = RunSettings.HilDefaultPlanner }, new HilSensors(), new HilMotorDriver(), new StopwatchClock());
        AckStatus virtualStatus = controller.Configure(ref message, out AckDetail virtualDetail, out _);
        if (virtualStatus != status || virtualDetail != expected)
        {
            failures.Add($"{what}: the virtual device answers {virtualStatus} ({virtualDetail}: {controller.LastRefusal}), the table {status} ({expected})");
        }
    }

    private static object Bound(string text, Type type)
    {
        if (text == "m·l²")
        {
            ConfigurationMessage valid = Valid();
            return valid.PoleMassKilograms * valid.PivotToCenterOfMassMeters * valid.PivotToCenterOfMassMeters;
        }

        if (text == "Samples")
        {
            return Valid().Samples;
        }

        double number = text.StartsWith("10^", StringComparison.Ordinal)
            ? Math.Pow(10, int.Parse(text[3..], CultureInfo.InvariantCulture))
            : double.Parse(text, CultureInfo.InvariantCulture);
        return type == typeof(float) ? (object)(float)number : type == typeof(int) ? (object)(int)number : (object)(uint)number;
    }

    private static object Next(object value) => value switch
    {
        float f => (object)(MathF.BitIncrement(f)),
        int i => (object)(i + 1),
        uint u => (object)(u + 1),
        _ => throw new ArgumentException(value.GetType().Name),
    };

    private static object Previous(object value) => value switch
    {
        float f => (object)(MathF.BitDecrement(f)),
        int i => (object)(i - 1),
        uint u => (object)(u - 1),
        _ => throw new ArgumentException(value.GetType().Name),
    };
}
