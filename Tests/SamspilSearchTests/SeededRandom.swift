/// Knuth's MMIX linear congruential generator, so the random tests are the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }

    /// A number below `bound` from the generator's upper bits (its low bits are weak).
    mutating func next(_ bound: Int) -> Int {
        Int((next() >> 33) % UInt64(bound))
    }
}
