using System;
using System.IO;
using EmbeddedMpc.Core.Rig;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// The virtual rig's flash: the model a host sent, kept in a file (the Core's <see cref="StoredModel"/> bytes, as the
/// ESP32 keeps them on its internal drive), so that it survives a restart of the process. Written to a temporary file
/// and moved into place, so a crash mid-write leaves the old model or the new one, never half of one.
/// </summary>
public sealed class VirtualRigStore : IModelStore
{
    private readonly string _path;

    /// <param name="path">The file; created when the first model is accepted.</param>
    public VirtualRigStore(string path) => _path = path;

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <inheritdoc />
    public int Load(byte[] buffer)
    {
        try
        {
            if (!File.Exists(_path))
            {
                return -1;
            }

            byte[] stored = File.ReadAllBytes(_path);
            Array.Copy(stored, buffer, Math.Min(stored.Length, buffer.Length));
            return stored.Length;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0; // something is there but cannot be read: the device falls back and says so
        }
    }

    /// <inheritdoc />
    public bool Save(byte[] buffer, int count)
    {
        try
        {
            string temporary = _path + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                file.Write(buffer, 0, count);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
