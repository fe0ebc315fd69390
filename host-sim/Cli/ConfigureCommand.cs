using System;
using System.Collections.Concurrent;
using System.CommandLine;
using System.Threading;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Identification;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The `configure` command: sends a rig profile (the file `identify` writes) to a board in rig mode as a
/// Configuration, prints the board's Ack, and reads back (HelloAck) the model the board now runs.
/// </summary>
/// <remarks>
/// Exit codes (<see cref="ExitCodes"/>): 0 the board accepted the model and reports running it; 2 the profile file or
/// an option was refused, or the board refused the model (its Ack names the field and the accepted range, or that the
/// rig is running); 3 the link failed (no answer, another protocol version, the port closed, or the board reports
/// another model than the one sent).
/// </remarks>
public static class ConfigureCommand
{
    /// <summary>How long one Hello or Configuration waits for its answer before it is sent again, ms (PROTOCOL.md).</summary>
    public const int ReplyTimeoutMilliseconds = 200;

    /// <summary>Informative client id sent in the Hello.</summary>
    public const uint ClientId = 0xC0F16000u;

    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial port of the board (or one end of a socat pty pair with `device --rig` on the other).", Required = true };
        var baud = new Option<int>("--baud") { Description = "Line speed, baud (8N1, no flow control).", DefaultValueFactory = _ => HilDefaults.BaudRate };
        var profile = new Option<string>("--profile") { Description = "The rig profile to send: a JSON file as `identify` writes it (profile.json).", Required = true };
        var command = new Command("configure", "Send a rig profile (identify's profile.json) to a board in rig mode; the board checks it, applies it, keeps it in flash and reports the model it runs.")
        {
            port, baud, profile,
        };
        command.SetAction(parse => Execute(parse.GetValue(port)!, parse.GetValue(baud), parse.GetValue(profile)!));
        return command;
    }

    /// <summary>The Configuration that carries <paramref name="profile"/> to a board in rig mode (the planner fields at their smallest valid values: the board plans with its own planner).</summary>
    public static ConfigurationMessage ConfigurationOf(RigProfile profile)
    {
        var configuration = new ConfigurationMessage { Samples = 2, Horizon = 1, Iterations = 1, Elites = 1, Seed = 0 };
        configuration.SetRig(profile);
        return configuration;
    }

    private static int Execute(string portName, int baudRate, string profilePath)
    {
        RigProfile profile;
        try
        {
            profile = RigProfileFile.Read(profilePath);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report($"--profile: {error.Message}");
        }

        ConfigurationMessage configuration = ConfigurationOf(profile);
        AckDetail outOfRange = ConfigurationRules.CheckRanges(ref configuration);
        if (outOfRange != AckDetail.None)
        {
            return CliErrors.Report($"--profile '{profilePath}': no board accepts it: {AckText.Describe(outOfRange, 0)}.");
        }

        uint expectedModel = configuration.RigModelId();
        SerialLink link;
        try
        {
            link = SerialLink.Open(portName, baudRate);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        using (link)
        {
            var frames = new BlockingCollection<(MessageType Type, byte[] Payload)>();
            var reader = new Thread(() =>
            {
                while (link.Receive((decoder, _) => frames.Add((decoder.MessageType, decoder.Frame.AsSpan(FrameLayout.PayloadOffset, decoder.PayloadLength).ToArray()))))
                {
                }

                frames.CompleteAdding();
            }) { IsBackground = true, Name = "configure-reader" };
            reader.Start();
            link.SendDelimiter();

            HelloAckMessage? before = Hello(link, frames);
            if (before is not HelloAckMessage hello)
            {
                return LinkFailed($"no HelloAck from the board on '{portName}' after 10 Hellos: check that it runs in rig mode, the wiring, the baud rate ({baudRate}) and its protocol version (this host speaks {FrameLayout.ProtocolVersion})");
            }

            if (hello.ProtocolVersion != FrameLayout.ProtocolVersion)
            {
                return LinkFailed($"the board speaks protocol version {hello.ProtocolVersion}, this host {FrameLayout.ProtocolVersion}");
            }

            Console.WriteLine($"board: firmware {hello.FirmwareMajor}.{hello.FirmwareMinor}.{hello.FirmwarePatch}, period {hello.ControlPeriodMicroseconds} us, runs {VirtualRig.DescribeModel(hello.ModelId, hello.ModelSource)}");
            Console.WriteLine($"sending {profile.Name} from {profilePath}: model 0x{expectedModel:X8}: {VirtualRig.DescribeParameters(profile.CopyParameters())}");

            AckMessage? answer = null;
            for (int attempt = 0; attempt < 4 && answer is null; attempt++)
            {
                ushort sequence = link.Send(ref configuration);
                answer = WaitForAck(frames, sequence);
            }

            if (answer is not AckMessage ack)
            {
                return LinkFailed("no Ack to the Configuration after 4 tries");
            }

            Console.WriteLine($"Ack: {AckText.Describe(ack.Status, ack.Detail, ack.Limit)}");
            if (ack.Status != AckStatus.Accepted)
            {
                Console.Error.WriteLine($"error: the board refused the model: {AckText.Describe(ack.Status, ack.Detail, ack.Limit)}.");
                return ExitCodes.BadInput;
            }

            if (Hello(link, frames) is not HelloAckMessage after)
            {
                return LinkFailed("no HelloAck after the Configuration: the board's model cannot be read back");
            }

            Console.WriteLine($"board: now runs {VirtualRig.DescribeModel(after.ModelId, after.ModelSource)}");
            if (after.ModelId != expectedModel)
            {
                return LinkFailed($"the board reports model 0x{after.ModelId:X8}, not the 0x{expectedModel:X8} sent");
            }

            return ExitCodes.Success;
        }
    }

    // Hello (keeping the Telemetry stream on, for whatever else listens), retried every 200 ms, 10 times.
    private static HelloAckMessage? Hello(SerialLink link, BlockingCollection<(MessageType Type, byte[] Payload)> frames)
    {
        var hello = new HelloMessage { ProtocolVersion = FrameLayout.ProtocolVersion, ClientId = ClientId, Flags = HelloMessage.FlagSendTelemetry };
        for (int attempt = 0; attempt < 10; attempt++)
        {
            link.Send(ref hello);
            DateTime end = DateTime.UtcNow.AddMilliseconds(ReplyTimeoutMilliseconds);
            while (frames.TryTake(out (MessageType Type, byte[] Payload) frame, Remaining(end)))
            {
                if (frame.Type == MessageType.HelloAck)
                {
                    var ack = new HelloAckMessage();
                    ack.Read(frame.Payload, 0);
                    return ack;
                }
            }

            if (frames.IsAddingCompleted)
            {
                return null;
            }
        }

        return null;
    }

    private static AckMessage? WaitForAck(BlockingCollection<(MessageType Type, byte[] Payload)> frames, ushort sequence)
    {
        DateTime end = DateTime.UtcNow.AddMilliseconds(ReplyTimeoutMilliseconds);
        while (frames.TryTake(out (MessageType Type, byte[] Payload) frame, Remaining(end)))
        {
            if (frame.Type != MessageType.Ack)
            {
                continue;
            }

            var ack = new AckMessage();
            ack.Read(frame.Payload, 0);
            if (ack.AcknowledgedType == MessageType.Configuration && ack.AcknowledgedSequence == sequence)
            {
                return ack;
            }
        }

        return null;
    }

    private static int Remaining(DateTime end) => Math.Max(0, (int)(end - DateTime.UtcNow).TotalMilliseconds);

    private static int LinkFailed(string message)
    {
        Console.Error.WriteLine($"error: {message}.");
        return ExitCodes.LinkFailure;
    }
}
