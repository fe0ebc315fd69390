using System;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// The virtual device's controller (<see cref="IHilController"/>): the controller of
/// <see cref="ControlStackBuilder"/>, i.e. `run`'s, for the device's own planner kind, task and homing,
/// with the profile and sizes of the last accepted Configuration (<see cref="HilConfiguration"/>).
/// </summary>
public sealed class VirtualDeviceController : IHilController
{
    private readonly RunSettings _deviceSettings;
    private readonly RigProfile _baseProfile;
    private readonly IRigSensors _sensors;
    private readonly IMotorDriver _motor;
    private readonly IMicrosecondClock _clock;
    private readonly Func<bool> _sessionIsLockstep;
    private RigProfile _profile;
    private RunSettings _controller;
    private ControlStack _stack;

    /// <param name="deviceSettings">The device's planner kind, task and homing.</param>
    /// <param name="sensors">The link's sensors.</param>
    /// <param name="motor">The link's motor.</param>
    /// <param name="clock">The host's clock the planning is timed with.</param>
    /// <param name="sessionIsLockstep">
    /// Whether the current session is lockstep (read when the controller is built). A real-time session's supervisor
    /// faults on planner overruns, as the device's does; a lockstep session's only counts them, as the simulator's:
    /// the host waits for every tick, and a busy host must not make the run differ from `run`'s. Null: always real-time.
    /// </param>
    /// <exception cref="ArgumentException">The profile measures the state exactly, or a setting is out of range.</exception>
    public VirtualDeviceController(RunSettings deviceSettings, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock,
        Func<bool>? sessionIsLockstep = null)
    {
        _sessionIsLockstep = sessionIsLockstep ?? (() => false);
        _deviceSettings = deviceSettings;
        _baseProfile = deviceSettings.ResolveProfile();
        if (!ControlStackBuilder.HasEncoders(_baseProfile))
        {
            throw new ArgumentException($"--profile {_baseProfile.Name} measures the state exactly; the serial protocol carries encoder counts: use {RigProfiles.Esp32RigName} or {RigProfiles.QuanserIp02Name}.");
        }

        _sensors = sensors;
        _motor = motor;
        _clock = clock;
        _profile = _baseProfile;
        _controller = deviceSettings;
        _stack = Build(_controller, _profile);
    }

    /// <summary>As `run`: homed if asked, and always for a balance task (homing needs the pole hanging).</summary>
    public bool StartsHomed => _deviceSettings.ResolveStartHomed(_baseProfile);

    /// <summary>Why the last Configuration was refused, or null.</summary>
    public string? LastRefusal { get; private set; }

    /// <inheritdoc />
    public ControlLoop Loop => _stack.Loop;

    /// <inheritdoc />
    public uint ControlPeriodMicroseconds => (uint)(_profile.ControlPeriodSeconds * 1000000f + 0.5f);

    /// <inheritdoc />
    public void PowerOn()
    {
        _stack = Build(_controller, _profile);
    }

    /// <inheritdoc />
    public AckStatus Configure(ref ConfigurationMessage configuration, out AckDetail detail, out uint limit)
    {
        try
        {
            RunSettings? controller = HilConfiguration.ToSettings(ref configuration, _deviceSettings, _baseProfile, VirtualDevice.ModelStepsPerSecond, out detail, out limit);
            if (controller is null)
            {
                LastRefusal = AckText.Describe(detail, limit);
                return AckStatus.InvalidValue;
            }

            RigProfile profile = configuration.ToProfile(_baseProfile);
            ControlStack stack = Build(controller, profile);
            _profile = profile;
            _controller = controller;
            _stack = stack;
            LastRefusal = null;
            return AckStatus.Accepted;
        }
        catch (ArgumentException error)
        {
            detail = AckDetail.Rejected;
            limit = 0;
            LastRefusal = error.Message;
            return AckStatus.InvalidValue;
        }
    }

    /// <summary>One line for the log: profile, planner, task, homing.</summary>
    public string Describe() =>
        $"{_profile.Name}, {_controller.Planner}, {RunSettings.TaskName(_controller.Task)}, {(StartsHomed ? "homed" : "not homed")}";

    /// <summary>One line for the log: the configured period and planner sizes.</summary>
    public string DescribeConfiguration()
    {
        PlannerSizes sizes = _stack.Planner.Sizes;
        return $"period {ControlPeriodMicroseconds} µs, {_controller.Planner} {sizes.Samples} samples x {sizes.Iterations} iterations, horizon {sizes.HorizonSteps} steps, seed {_controller.Seed}";
    }

    private ControlStack Build(RunSettings controller, RigProfile profile) =>
        ControlStackBuilder.Build(controller, profile, _sensors, _motor, _clock, StartsHomed, faultsOnPlannerOverrun: !_sessionIsLockstep());
}
