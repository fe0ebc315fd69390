using System.Threading;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Firmware.Drivers;
using EmbeddedMpc.Firmware.Telemetry;

namespace EmbeddedMpc.Firmware.Hil
{
    /// <summary>
    /// HIL mode's one thread, at <c>ThreadPriority.Highest</c>: it moves the host link's bytes into the
    /// Core's <see cref="HilDevice"/>, which runs a control tick for each SensorReadings frame and answers
    /// at once, and gives the device's link watchdog its turn after every read:
    /// <code>
    ///   repeat: read what COM2 has (up to MaxChunksPerPoll x ReceiveChunkBytes) -> HilDevice.Receive
    ///           -> HilDevice.Poll (link loss, heartbeats) -> LED -> LoopStatistics when a window ends
    ///           -> sleep 1 ms if nothing had arrived
    /// </code>
    /// The host is the clock: there is no deadline here. The real H-bridge stays at duty 0 all along (the
    /// loop's motor is the link's). Every statistics window (<see cref="FirmwareSettings.StatisticsPeriodSeconds"/>
    /// of ticks) it collects garbage (<c>nanoFramework.Runtime.Native.GC.Run</c>) right after a tick's
    /// answer and sends LoopStatistics with the free memory. Allocates nothing after construction.
    /// </summary>
    internal sealed class HilThread
    {
        /// <summary>Bytes taken from the UART per read (8 SensorReadings frames).</summary>
        public const int ReceiveChunkBytes = 256;

        /// <summary>
        /// Reads in a row before the watchdog runs even though bytes keep coming: a stream of garbage must
        /// not keep the link-loss rule from running.
        /// </summary>
        public const int MaxChunksPerPoll = 8;

        private readonly HilDevice _device;
        private readonly HostLinkPort _port;
        private readonly StatusLed _led;
        private readonly IMotorDriver _realMotor;
        private readonly IMicrosecondClock _clock;
        private readonly int _statisticsPeriodSeconds;
        private readonly byte[] _received; // [ReceiveChunkBytes]
        private readonly Thread _thread;

        /// <param name="device">The Core's HIL device, built on the link's sensors and motor.</param>
        /// <param name="port">The host link (COM2); the device transmits through it too.</param>
        /// <param name="led">Status LED: the supervisor's mode, as on the rig.</param>
        /// <param name="realMotor">The rig's H-bridge, held at duty 0.</param>
        /// <param name="clock">Microsecond clock.</param>
        /// <param name="statisticsPeriodSeconds">Seconds of ticks per LoopStatistics window; [1, 3600].</param>
        /// <exception cref="System.ArgumentException">The statistics period is out of range.</exception>
        public HilThread(HilDevice device, HostLinkPort port, StatusLed led, IMotorDriver realMotor, IMicrosecondClock clock, int statisticsPeriodSeconds)
        {
            if (statisticsPeriodSeconds < 1 || statisticsPeriodSeconds > 3600)
            {
                throw new System.ArgumentException("statisticsPeriodSeconds must be in [1, 3600].", "statisticsPeriodSeconds");
            }

            _device = device;
            _port = port;
            _led = led;
            _realMotor = realMotor;
            _clock = clock;
            _statisticsPeriodSeconds = statisticsPeriodSeconds;
            _received = new byte[ReceiveChunkBytes];
            _thread = new Thread(Run);
            _thread.Priority = ThreadPriority.Highest;
        }

        /// <summary>Starts the thread (once).</summary>
        public void Start()
        {
            _thread.Start();
        }

        private void Run()
        {
            try
            {
                _realMotor.SetDuty(0f);
                Serve();
            }
            catch (System.Exception)
            {
                // Nothing here throws by design; if something does, the link goes quiet (the host reports
                // the device gone) and the LED goes dark until the board is reset.
                _realMotor.SetDuty(0f);
                _led.Set(false);
                System.Console.WriteLine("EmbeddedMpc: the HIL thread stopped on an exception.");
                throw;
            }
        }

        private void Serve()
        {
            while (true)
            {
                int chunks = 0;
                while (chunks < MaxChunksPerPoll)
                {
                    int count = _port.ReadReceived(_received);
                    if (count <= 0)
                    {
                        break;
                    }

                    _device.Receive(_received, 0, count);
                    chunks++;
                }

                _device.Poll();
                long now = _clock.NowMicroseconds;
                _led.Show(_device.Mode, (uint)(now / FirmwareSettings.ControlPeriodMicroseconds));
                if (_device.SessionOpen && _device.TicksInStatisticsWindow >= StatisticsPeriodTicks())
                {
                    SendStatistics();
                }

                if (chunks == 0)
                {
                    Thread.Sleep(FirmwareSettings.HilIdleSleepMilliseconds);
                }
            }
        }

        // Ticks per statistics window at the configured control period.
        private int StatisticsPeriodTicks()
        {
            return (int)(_statisticsPeriodSeconds * 1000000L / _device.Watchdog.ControlPeriodMicroseconds);
        }

        // As on the rig (ControlThread.SendStatistics): nanoFramework 1.x has no allocated-bytes counter, so
        // the free heap after a full collection is the memory figure; it runs right after a tick's answer.
        private void SendStatistics()
        {
            long before = _clock.NowMicroseconds;
            uint freeBytes = nanoFramework.Runtime.Native.GC.Run(false);
            long collection = _clock.NowMicroseconds - before;
            _device.SendLoopStatistics(freeBytes, (uint)collection);
        }
    }
}
