using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Rig;
using EmbeddedMpc.Firmware.Commands;
using EmbeddedMpc.Firmware.Drivers;
using EmbeddedMpc.Firmware.Drivers.Encoders;
using EmbeddedMpc.Firmware.Drivers.Motor;
using EmbeddedMpc.Firmware.Drivers.Switches;
using EmbeddedMpc.Firmware.Hil;
using EmbeddedMpc.Firmware.Storage;
using EmbeddedMpc.Firmware.Telemetry;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The ESP32 application: takes the motor pins (duty 0), reads the HIL strap, builds the drivers and
    /// the Core's control loop once for the chosen mode, starts its thread and then sleeps for ever.
    /// Everything the threads use is allocated here.
    /// </summary>
    /// <remarks>
    /// Rig mode (strap open): encoders, switches and E-stop in, H-bridge out, a fixed-period control
    /// thread; the Core's <see cref="RigModeDevice"/> on COM2 (telemetry from start-up on, commands, excitation, the
    /// model a host sends, kept in flash at <see cref="FirmwareSettings.ModelStorePath"/>). HIL mode (strap to GND): the same control loop, its sensors and motor
    /// served by the host over COM2 (the Core's <see cref="HilDevice"/>); the encoders, switches and E-stop
    /// are not read and the H-bridge stays at duty 0.
    /// </remarks>
    public static class Program
    {
        /// <summary>Entry point (nanoFramework runs it after the device boots and the assemblies load).</summary>
        public static void Main()
        {
            Debug.WriteLine("EmbeddedMpc firmware starting");
            var gpio = new GpioController();

            // The motor first, in both modes: from here on its PWM is driven at duty 0 (the pull-down held it off so far).
            var motor = new HBridgeMotor(gpio, PinMap.MotorPwm, PinMap.MotorDirection, FirmwareSettings.MotorPwmFrequencyHertz);
            var led = new StatusLed(gpio, PinMap.StatusLed);
            var clock = new Esp32Clock();
            var port = new HostLinkPort(PinMap.HostLinkPortName, PinMap.HostLinkTransmit, PinMap.HostLinkReceive, FirmwareSettings.HostLinkBaudRate);

            if (ModeStrap.HilSelected(gpio, PinMap.HilModeStrap))
            {
                StartHil(port, led, motor, clock);
            }
            else
            {
                StartRig(gpio, port, led, motor, clock);
            }

            Thread.Sleep(Timeout.Infinite);
        }

        private static void StartRig(GpioController gpio, HostLinkPort port, StatusLed led, HBridgeMotor motor, Esp32Clock clock)
        {
            var cartEncoder = new QuadratureEncoder(PinMap.CartEncoderA, PinMap.CartEncoderB, FirmwareSettings.EncoderGlitchFilter);
            var poleEncoder = new QuadratureEncoder(PinMap.PoleEncoderA, PinMap.PoleEncoderB, FirmwareSettings.EncoderGlitchFilter);
            var inputs = new RigInputs(gpio, PinMap.NegativeLimitSwitch, PinMap.PositiveLimitSwitch, PinMap.EmergencyStopSense);
            var sensors = new RigSensors(cartEncoder, poleEncoder, inputs);

            var store = new FlashModelStore(FirmwareSettings.ModelStorePath);
            var rig = new RigModeDevice(new RigController(sensors, motor, clock), RigProfiles.Esp32Rig(), store, port,
                FirmwareSettings.VersionMajor, FirmwareSettings.VersionMinor, FirmwareSettings.VersionPatch);
            Debug.WriteLine(rig.ModelSource == ModelSource.Stored ? "EmbeddedMpc rig mode: running the model stored in flash"
                : rig.ModelSource == ModelSource.BuiltInStoredCorrupt ? "EmbeddedMpc rig mode: the stored model is corrupt or invalid; running the built-in profile"
                : "EmbeddedMpc rig mode: no stored model; running the built-in profile");
            var startButton = new PushButton(gpio, PinMap.StartButton);

            var controlThread = new ControlThread(rig, port, clock, startButton, led, motor,
                FirmwareSettings.ControlPeriodMicroseconds, FirmwareSettings.StatisticsPeriodSeconds);
            controlThread.Start();
            Debug.WriteLine("EmbeddedMpc rig mode: control thread running; press the BOOT button or send Command Start");
        }

        private static void StartHil(HostLinkPort port, StatusLed led, IMotorDriver motor, IMicrosecondClock clock)
        {
            var sensors = new HilSensors();
            var linkMotor = new HilMotorDriver();
            var controller = new HilController(RigProfiles.Esp32Rig(), sensors, linkMotor, clock);
            var device = new HilDevice(controller, sensors, linkMotor, clock, port,
                FirmwareSettings.VersionMajor, FirmwareSettings.VersionMinor, FirmwareSettings.VersionPatch);

            var hilThread = new HilThread(device, port, led, motor, clock, FirmwareSettings.StatisticsPeriodSeconds);
            hilThread.Start();
            Debug.WriteLine("EmbeddedMpc HIL mode (HIL strap tied to GND): sensors and motor on COM2, the motor stays off; waiting for a Hello");
        }
    }
}
