using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

// HilRun: Opening the connection: Hello, then Configuration and Commands, each retried as PROTOCOL.md says.
public sealed partial class HilRun
{
    private string? Connect()
    {
        _link.SendDelimiter();
        var hello = new HelloMessage
        {
            ProtocolVersion = FrameLayout.ProtocolVersion,
            ClientId = ClientId,
            Flags = (_settings.Lockstep ? HelloMessage.FlagLockstep : 0u) | HelloMessage.FlagSendTickStatistics | HelloMessage.FlagSendTelemetry,
        };
        for (int attempt = 0; attempt < 10 && !_helloAckReceived; attempt++)
        {
            _link.Send(ref hello);
            WaitFor(() => _helloAckReceived, ReplyTimeoutMilliseconds);
            if (_link.IsClosed)
            {
                return $"the serial port '{_settings.Port}' closed";
            }
        }

        if (!_helloAckReceived)
        {
            return $"no HelloAck from the device on '{_settings.Port}' after 10 Hellos: check that it runs, the wiring (RXD and TXD swapped?), the baud rate ({_settings.BaudRate}) and the device's protocol version";
        }

        if (_helloAck.ProtocolVersion != FrameLayout.ProtocolVersion)
        {
            return $"the device speaks protocol version {_helloAck.ProtocolVersion}, this host {FrameLayout.ProtocolVersion}";
        }

        uint missing = hello.Flags & ~_helloAck.Flags;
        if ((missing & HelloMessage.FlagLockstep) != 0)
        {
            return "the device does not accept lockstep timing (HelloAck without the Lockstep flag); run without --lockstep";
        }

        if ((missing & HelloMessage.FlagSendTelemetry) != 0)
        {
            return "the device does not send Telemetry (HelloAck without the flag); hil logs the run from it";
        }

        uint period = (uint)(_profile.ControlPeriodSeconds * 1000000f + 0.5f);
        _log.WriteLine($"hil: device firmware {_helloAck.FirmwareMajor}.{_helloAck.FirmwareMinor}.{_helloAck.FirmwarePatch}, control period {_helloAck.ControlPeriodMicroseconds} µs{(period != _helloAck.ControlPeriodMicroseconds ? $" (configuring {period} µs)" : "")}");
        return null;
    }

    private enum DeviceRequest
    {
        Configuration,
        Start,
        Stop,
        Reset,
    }

    // What a request came to: Completed (Accepted), Refused (with the device's verdict) or LinkFailed.
    private readonly record struct RequestAnswer(HilEnd End, AckStatus? Status, string? Error);

    // Sends a Configuration or Command and waits for its Ack, retrying up to 3 times (PROTOCOL.md).
    private RequestAnswer Request(DeviceRequest request)
    {
        ConfigurationMessage configuration = HilConfiguration.From(_run, _profile, _planner);
        var command = new CommandMessage
        {
            Command = request switch
            {
                DeviceRequest.Stop => DeviceCommand.Stop,
                DeviceRequest.Reset => DeviceCommand.Reset,
                _ => DeviceCommand.Start,
            },
        };
        MessageType type = request == DeviceRequest.Configuration ? MessageType.Configuration : MessageType.Command;
        var sent = new List<ushort>();
        for (int attempt = 0; attempt < 4; attempt++)
        {
            sent.Add(type == MessageType.Configuration ? _link.Send(ref configuration) : _link.Send(ref command));
            AckMessage? found = null;
            WaitFor(() =>
            {
                foreach (AckMessage ack in _acks)
                {
                    if (ack.AcknowledgedType == type && sent.Contains(ack.AcknowledgedSequence))
                    {
                        found = ack;
                        return true;
                    }
                }

                return false;
            }, ReplyTimeoutMilliseconds);
            if (found is AckMessage answer)
            {
                return answer.Status == AckStatus.Accepted
                    ? new RequestAnswer(HilEnd.Completed, answer.Status, null)
                    : new RequestAnswer(HilEnd.Refused, answer.Status, $"the device refused the {request} ({AckText.Describe(answer.Status, answer.Detail, answer.Limit)}); see the device's log");
            }

            if (_link.IsClosed)
            {
                return new RequestAnswer(HilEnd.LinkFailed, null, $"the serial port '{_settings.Port}' closed");
            }
        }

        return new RequestAnswer(HilEnd.LinkFailed, null, $"no Ack from the device for the {request} after 4 tries");
    }
}
