using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware.Commands;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Firmware;

/// <summary>
/// The firmware's start, stop and reset (firmware/EmbeddedMpc.Firmware/Commands/RigCommands.cs) on the
/// Core's supervisor: one Start runs homing and then the swing-up, Stop leaves a homed rig in Ready for
/// good, Start is refused in Fault, and the start button (GPIO 23) does what the mode calls for.
/// </summary>
[TestClass]
public sealed class RigCommandsTests
{
    private EncoderStateEstimator _estimator = null!;
    private Supervisor _supervisor = null!;
    private RigCommands _commands = null!;
    private SensorReading _reading;

    [TestInitialize]
    public void BuildRigAtRest()
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        _estimator = new EncoderStateEstimator(profile.CartCountsPerMeter, profile.PoleCountsPerRevolution, profile.ControlPeriodSeconds, 1f, 5f, 60f);
        _estimator.SetPoleHanging(0);
        _supervisor = new Supervisor(SupervisorSettings.ForProfile(profile), _estimator);
        _commands = new RigCommands(_supervisor);
        _reading = new SensorReading();
        Tick();
    }

    [TestMethod]
    public void StartFromIdle_Homes_AndStopDuringHomingReturnsToIdle()
    {
        Assert.AreEqual(AckStatus.Accepted, _commands.Apply(DeviceCommand.Start));
        Tick();
        Assert.AreEqual(SupervisorMode.Homing, _supervisor.Mode);

        Assert.AreEqual(AckStatus.Accepted, _commands.Apply(DeviceCommand.Stop));
        Tick();
        Assert.AreEqual(SupervisorMode.Idle, _supervisor.Mode, "a stop during homing leaves the rig un-homed in Idle");
    }

    [TestMethod]
    public void StartWhenHomed_SwingsUp_AndStopStaysInReady()
    {
        _supervisor.MarkHomed();
        Assert.AreEqual(AckStatus.Accepted, _commands.Apply(DeviceCommand.Start));
        Tick();
        Assert.AreEqual(SupervisorMode.SwingUp, _supervisor.Mode);

        Assert.AreEqual(AckStatus.Accepted, _commands.Apply(DeviceCommand.Stop));
        for (int i = 0; i < 5; i++)
        {
            Tick();
        }

        Assert.AreEqual(SupervisorMode.Ready, _supervisor.Mode, "after a stop the rig must wait in Ready, not start again by itself");
    }

    [TestMethod]
    public void StartInFault_IsRefused_AndResetLeavesFault()
    {
        _reading.EmergencyStopPressed = true;
        Tick();
        Assert.AreEqual(SupervisorMode.Fault, _supervisor.Mode);
        _reading.EmergencyStopPressed = false;

        Assert.AreEqual(AckStatus.WrongMode, _commands.Apply(DeviceCommand.Start));
        Tick();
        Assert.AreEqual(SupervisorMode.Fault, _supervisor.Mode, "Start must not clear a fault");

        Assert.AreEqual(AckStatus.Accepted, _commands.Apply(DeviceCommand.Reset));
        Tick();
        Assert.AreEqual(SupervisorMode.Idle, _supervisor.Mode);
    }

    [TestMethod]
    public void AnUnknownCommand_IsUnsupported_AndChangesNothing()
    {
        Assert.AreEqual(AckStatus.Unsupported, _commands.Apply((DeviceCommand)99));
        Assert.AreEqual(AckStatus.Unsupported, _commands.Apply(DeviceCommand.None));
        Tick();
        Assert.AreEqual(SupervisorMode.Idle, _supervisor.Mode);
    }

    [TestMethod]
    public void TheButton_StartsInIdle_StopsWhileRunning_AndResetsInFault()
    {
        _supervisor.MarkHomed();
        _commands.ButtonPressed();
        Tick();
        Assert.AreEqual(SupervisorMode.SwingUp, _supervisor.Mode, "Ready + button = start");

        _commands.ButtonPressed();
        Tick();
        Assert.AreEqual(SupervisorMode.Ready, _supervisor.Mode, "running + button = stop");

        _reading.EmergencyStopPressed = true;
        Tick();
        _reading.EmergencyStopPressed = false;
        _commands.ButtonPressed();
        Tick();
        Assert.AreEqual(SupervisorMode.Idle, _supervisor.Mode, "Fault + button = reset");
    }

    private void Tick()
    {
        bool plausible = _estimator.Update(ref _reading);
        _supervisor.Observe(ref _reading, plausible);
    }
}
