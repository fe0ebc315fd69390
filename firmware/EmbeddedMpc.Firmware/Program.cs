using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Firmware.Commands;
using EmbeddedMpc.Firmware.Drivers;
using EmbeddedMpc.Firmware.Drivers.Encoders;
using EmbeddedMpc.Firmware.Drivers.Motor;
using EmbeddedMpc.Firmware.Drivers.Switches;
using EmbeddedMpc.Firmware.Telemetry;

namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The ESP32 application: builds the drivers and the Core's control loop once, starts the control
    /// thread and then sleeps for ever. Everything the control thread uses is allocated here.
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point (nanoFramework runs it after the device boots and the assemblies load).</summary>
        public static void Main()
        {
            Debug.WriteLine("EmbeddedMpc firmware starting");
            var gpio = new GpioController();

            // The motor first: from here on its PWM is driven at duty 0 (the pull-down held it off so far).
            var motor = new HBridgeMotor(gpio, PinMap.MotorPwm, PinMap.MotorDirection, FirmwareSettings.MotorPwmFrequencyHertz);
            var led = new StatusLed(gpio, PinMap.StatusLed);

            var cartEncoder = new QuadratureEncoder(PinMap.CartEncoderA, PinMap.CartEncoderB, FirmwareSettings.EncoderGlitchFilter);
            var poleEncoder = new QuadratureEncoder(PinMap.PoleEncoderA, PinMap.PoleEncoderB, FirmwareSettings.EncoderGlitchFilter);
            var inputs = new RigInputs(gpio, PinMap.NegativeLimitSwitch, PinMap.PositiveLimitSwitch, PinMap.EmergencyStopSense);
            var sensors = new RigSensors(cartEncoder, poleEncoder, inputs);
            var clock = new Esp32Clock();

            ControlLoop loop = ControlStack.Build(RigProfiles.Esp32Rig(), sensors, motor, clock);

            var telemetry = new SerialTelemetry(PinMap.HostLinkPortName, PinMap.HostLinkTransmit, PinMap.HostLinkReceive, FirmwareSettings.HostLinkBaudRate);
            var commands = new RigCommands(loop.Supervisor);
            var receiver = new HostCommandReceiver(telemetry, commands);
            var startButton = new PushButton(gpio, PinMap.StartButton);

            var controlThread = new ControlThread(loop, clock, telemetry, receiver, commands, startButton, led, motor,
                FirmwareSettings.ControlPeriodMicroseconds, FirmwareSettings.StatisticsPeriodSeconds);
            controlThread.Start();
            Debug.WriteLine("EmbeddedMpc control thread running; press the BOOT button or send Command Start");

            Thread.Sleep(Timeout.Infinite);
        }
    }
}
