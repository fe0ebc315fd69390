// Declarations of the members of System.IO.Ports 1.1.139 (nanoFramework.System.IO.Ports) that the
// firmware uses, declared with nanoFramework's
// own names and signatures (the package is not on NuGet; FirmwareApiTests checks where each file belongs). .NET 10 has no System.IO.Ports in its class library, so nothing
// clashes. Compiled only into the API check; the bodies never run.

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
