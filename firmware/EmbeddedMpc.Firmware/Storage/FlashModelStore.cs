using System.IO;
using EmbeddedMpc.Core.Rig;

namespace EmbeddedMpc.Firmware.Storage
{
    /// <summary>
    /// Keeps the model a host sent in one small file on the ESP32's internal flash file system (the "I:" drive of
    /// nanoFramework's ESP32 firmware, package nanoFramework.System.IO.FileSystem), so that it survives a reboot.
    /// The bytes are the Core's <see cref="StoredModel"/> (magic, version, the Configuration, CRC-32), so a torn write
    /// or a worn sector is caught when read back and the firmware falls back to its built-in profile. Used at
    /// start-up and when a Configuration is accepted, never on the tick path (the file API allocates).
    /// </summary>
    internal sealed class FlashModelStore : IModelStore
    {
        private readonly string _path;

        /// <param name="path">The file, e.g. <see cref="FirmwareSettings.ModelStorePath"/>.</param>
        public FlashModelStore(string path)
        {
            _path = path;
        }

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
                int count = stored.Length < buffer.Length ? stored.Length : buffer.Length;
                System.Array.Copy(stored, buffer, count);
                // A file longer than a stored model is not one: report its full length so the format check refuses it.
                return stored.Length;
            }
            catch (System.Exception)
            {
                return 0; // there is something, but it cannot be read: the caller falls back and says so
            }
        }

        /// <inheritdoc />
        public bool Save(byte[] buffer, int count)
        {
            try
            {
                var bytes = new byte[count];
                System.Array.Copy(buffer, bytes, count);
                File.WriteAllBytes(_path, bytes);
                byte[] check = File.ReadAllBytes(_path);
                if (check.Length != count)
                {
                    return false;
                }

                for (int i = 0; i < count; i++)
                {
                    if (check[i] != bytes[i])
                    {
                        return false;
                    }
                }

                return true;
            }
            catch (System.Exception)
            {
                return false;
            }
        }
    }
}
