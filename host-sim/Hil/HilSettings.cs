using System;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>A hardware-in-the-loop run: the run's settings and the link's.</summary>
public sealed class HilSettings
{
    public RunSettings Run { get; init; } = new();

    public string Port { get; init; } = "";

    public int BaudRate { get; init; } = HilDefaults.BaudRate;

    /// <summary>True: the plant waits for each command (deterministic). False: the plant runs on the wall clock.</summary>
    public bool Lockstep { get; init; }

    /// <summary>Test aid: probability that a frame, in either direction, has a byte changed.</summary>
    public double CorruptionRate { get; init; }

    /// <summary>Test aid: probability that a frame, in either direction, is lost.</summary>
    public double DropRate { get; init; }

    /// <summary>Test aid: stop sending anything this many seconds after the first tick and watch for the device's Fault.</summary>
    public double? CutLinkAfterSeconds { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Run.Validate();
        RigProfile profile = Run.ResolveProfile();
        if (!ControlStackBuilder.HasEncoders(profile))
        {
            throw new ArgumentException($"--profile {profile.Name} measures the state exactly, which the serial protocol cannot carry (it sends encoder counts): use {RigProfiles.Esp32RigName} or {RigProfiles.QuanserIp02Name}.");
        }

        PlannerCatalog.Build(Run, profile); // the planner's sizes, checked before any port is opened

        if (string.IsNullOrWhiteSpace(Port))
        {
            throw new ArgumentException("--port is required: the serial port of the device (e.g. /dev/ttyUSB0, COM5).");
        }

        if (Run.OpenLoop)
        {
            throw new ArgumentException("--open-loop is a simulator mode: in hil the device plans every tick.");
        }

        if (Run.Particles.HasValue || Run.ProcessNoise != 0 || Run.ParticleSpread != PlannerCatalog.DefaultParticleSpread)
        {
            throw new ArgumentException("--particles, --particle-spread and --process-noise are not carried by the serial protocol (the device builds its planner from its own settings): leave them out of hil.");
        }

        if (!Lockstep && Run.ActuationDelayTicks != 0)
        {
            throw new ArgumentException("--delay-ticks works with --lockstep only: in real time the link's own delay is the actuation delay.");
        }

        _ = new LinkFaultInjector(CorruptionRate, DropRate, 0);
        if (CutLinkAfterSeconds is double cut && !(cut >= 0 && cut <= 3600))
        {
            throw new ArgumentException($"--cut-link-after must be in [0, 3600] seconds; got {cut}.");
        }
    }
}
