namespace EmbeddedMpc.Firmware
{
    /// <summary>
    /// The rig's pin map: ESP32 GPIO numbers on an ESP32-DevKitC (WROOM-32). This is the table in
    /// hardware/wiring.md ("Pin map") and nothing else; change the two together (a host test compares
    /// them). GPIO 1 and 3 (COM1) belong to the nanoFramework debugger and are not used here.
    /// </summary>
    internal static class PinMap
    {
        /// <summary>Cart encoder channel A (motor Hall encoder), PCNT input. Input-only pin, external 4.7 kΩ pull-up.</summary>
        public const int CartEncoderA = 34;

        /// <summary>Cart encoder channel B, PCNT input. Input-only pin, external 4.7 kΩ pull-up.</summary>
        public const int CartEncoderB = 35;

        /// <summary>Pole encoder channel A (optical encoder, open collector), PCNT input, 4.7 kΩ to 3.3 V.</summary>
        public const int PoleEncoderA = 32;

        /// <summary>Pole encoder channel B, PCNT input, 4.7 kΩ to 3.3 V.</summary>
        public const int PoleEncoderB = 33;

        /// <summary>H-bridge PWM input, <c>DeviceFunction.PWM1</c> at 20 kHz; 10 kΩ pull-down keeps the motor off while undriven.</summary>
        public const int MotorPwm = 25;

        /// <summary>H-bridge direction input, GPIO output (HIGH drives the cart toward +x); 10 kΩ pull-down.</summary>
        public const int MotorDirection = 26;

        /// <summary>Left (-x) limit switch, NC contact to GND, <c>InputPullUp</c>: HIGH = tripped or wire cut.</summary>
        public const int NegativeLimitSwitch = 27;

        /// <summary>Right (+x) limit switch, NC contact to GND, <c>InputPullUp</c>: HIGH = tripped or wire cut.</summary>
        public const int PositiveLimitSwitch = 14;

        /// <summary>
        /// Safety-chain sense, <c>InputPullUp</c>: LOW while the latching safety relay K1 is energised (E-stop
        /// released, both over-travel switches closed, RESET pressed since); HIGH when the chain is open (E-stop
        /// pressed, an over-travel switch tripped, not reset since power-up) or the wire is cut. An optocoupler
        /// driven from K1's coil pulls the input LOW (hardware/wiring.md, "Safety chain"). The Core reads it as
        /// <c>SensorReading.EmergencyStopPressed</c>.
        /// </summary>
        public const int EmergencyStopSense = 13;

        /// <summary>
        /// Motor-enable heartbeat, GPIO output with a 10 kΩ pull-down: one rising edge per control tick
        /// while the supervisor drives the motor retriggers the 74HC123 monostable that gates the bridge's PWM
        /// (hardware/wiring.md, "Heartbeat enable"). No edges for about 45 ms and the bridge brakes.
        /// </summary>
        public const int MotorEnableHeartbeat = 18;

        /// <summary>Status LED to GND through 330 Ω (or the board's own LED). Strapping pin: a load to GND only.</summary>
        public const int StatusLed = 2;

        /// <summary>
        /// Start/stop push button on the panel, normally open to GND, <c>InputPullUp</c> plus an external
        /// 10 kΩ pull-up. Not the DevKit's BOOT button (GPIO 0): the USB-UART's auto-program lines (DTR/RTS)
        /// pulse GPIO 0 whenever a host program opens or resets the port, which would read as presses.
        /// </summary>
        public const int StartButton = 23;

        /// <summary>
        /// HIL mode strap, read once at boot with <c>InputPullUp</c>: tied to GND (a jumper wire to a GND
        /// pin) selects HIL mode, where the sensors and motor are served by the host link and the
        /// real motor stays off; open (pulled up) runs the rig. Not a strapping pin.
        /// </summary>
        public const int HilModeStrap = 4;

        /// <summary>Host link transmit, <c>DeviceFunction.COM2_TX</c>, to the 3.3 V adapter's RXD.</summary>
        public const int HostLinkTransmit = 17;

        /// <summary>Host link receive, <c>DeviceFunction.COM2_RX</c>, from the 3.3 V adapter's TXD.</summary>
        public const int HostLinkReceive = 16;

        /// <summary>The UART of the host link. COM1 is the debugger's.</summary>
        public const string HostLinkPortName = "COM2";
    }
}
