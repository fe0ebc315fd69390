#nullable disable
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>
    /// The PRNG's stream is pinned: the device must draw exactly the numbers the host draws, so seeded
    /// runs compare bit for bit (xoshiro128** seeded by SplitMix32; the same values as the host's
    /// SeededRandomTests).
    /// </summary>
    [TestClass]
    public class SeededRandomDeviceTests
    {
        [TestMethod]
        public void SeedOne_GivesThePinnedIntegers()
        {
            var random = new SeededRandom(1);
            Assert.AreEqual(2442144158u, random.NextUInt32(), "first");
            Assert.AreEqual(3238099751u, random.NextUInt32(), "second");
            Assert.AreEqual(3819917871u, random.NextUInt32(), "third");
        }

        [TestMethod]
        public void SeedOne_GivesThePinnedGaussians()
        {
            var random = new SeededRandom(1);
            Assert.AreEqual(0.41807932f, random.NextGaussian(), "first");
            Assert.AreEqual(1.5474223f, random.NextGaussian(), "second");
        }

        [TestMethod]
        public void Reseed_RestartsTheStream()
        {
            var random = new SeededRandom(1);
            random.NextUInt32();
            random.NextGaussian();
            random.Reseed(1);
            Assert.AreEqual(2442144158u, random.NextUInt32(), "first after reseeding");
        }
    }
}
