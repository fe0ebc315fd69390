// Declarations of the members of System.IO.Ports 1.1.139 (nanoFramework.System.IO.Ports) that the firmware
// uses, with nanoFramework's own names and signatures. The package is not on NuGet, so the API check
// compiles against these, next to the real mscorlib.dll; FirmwareApiTests checks that none of these types
// is in that mscorlib and that the file is named after an assembly a device project references. Compiled
// only into the API check; the bodies never run.

namespace System.IO.Ports
{
    public enum Parity
    {
        None = 0,
    }

    public enum StopBits
    {
        One = 1,
    }

    public sealed class SerialPort : IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) => throw new NotImplementedException();

        public int BytesToRead => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();

        public void Open() => throw new NotImplementedException();

        public int Read(byte[] buffer, int offset, int count) => throw new NotImplementedException();

        public void Write(byte[] buffer, int offset, int count) => throw new NotImplementedException();
    }
}
