import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';

/** The part of `WebAssembly.Memory` used here; the project's lib settings (no DOM) do not declare it. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory } }).WebAssembly.Memory;

const PAGE_BYTES = 64 * 1024;
/** The build declares 16 MiB (256 pages) of initial memory: static data, a 5 MiB C stack, then heap. */
const INITIAL_PAGES = 256;
const BALLAST_CHUNK_BYTES = 256 * 1024;
const MAX_BALLAST_CHUNKS = 64;
/** Room above the soft cap for unwinding and the host's own calls once a script ran out of memory. */
const MIN_SLACK_BYTES = 8 * 1024 * 1024;

/**
 * One QuickJS WebAssembly instance whose heap enforces a memory limit.
 *
 * QuickJS's own limit (`JS_SetMemoryLimit`) does not count bytes in this
 * build: Emscripten has no `malloc_usable_size`, so every block counts as 8
 * bytes whatever its size, and a "4 MiB" runtime happily holds 90 MB of
 * strings. The limit is therefore enforced here, on the WebAssembly memory:
 * - the instance gets its own `WebAssembly.Memory` whose maximum is a hard
 *   cap on what the host process can lose to scripts;
 * - the free heap inside the initial 16 MiB is filled with ballast once, so
 *   any heap a run needs beyond that shows up as memory growth;
 * - growth past `ballast + memoryBytes` (the soft cap) marks the instance
 *   exhausted; the running script is interrupted at its next check and the
 *   instance is retired, because its heap stays grown (WebAssembly memory
 *   never shrinks) and would let the next run past the limit unnoticed.
 * The room between soft and hard cap keeps the host's allocations (handles,
 * strings passed in) from failing while an exhausted script unwinds.
 *
 * Growth happens in steps of up to 20 % of the heap and the ballast leaves a
 * little free room behind, so where exactly a script is stopped is
 * approximate: within a few MiB of `memoryBytes`.
 */
export class SandboxModule {
  /** Set once a run grew the heap past the soft cap (or growth failed at the hard cap); sticky. */
  exhausted = false;
  /** Set when the instance failed in a way that leaves its state in doubt, e.g. Node's stack ran out inside it. */
  broken = false;
  private softCapBytes = Number.POSITIVE_INFINITY;
  /** Keeps the ballast allocated for the instance's lifetime. */
  private ballast: QuickJSRuntime | undefined;

  private constructor(
    readonly quickjs: QuickJSWASMModule,
    private readonly memory: WasmMemory,
  ) {}

  /** A fresh instance for runs limited to `memoryBytes`. */
  static async load(memoryBytes: number): Promise<SandboxModule> {
    const slackBytes = Math.max(MIN_SLACK_BYTES, Math.ceil(memoryBytes / 4));
    // The ballast itself grows the heap once (by up to 20 %) before the cap applies.
    const maximumBytes = INITIAL_PAGES * PAGE_BYTES * 1.25 + memoryBytes + slackBytes;
    const memory = new WasmMemory({ initial: INITIAL_PAGES, maximum: Math.min(65536, Math.ceil(maximumBytes / PAGE_BYTES)) });
    let sandbox: SandboxModule | undefined;
    const grow = memory.grow.bind(memory);
    // Emscripten grows the heap through this object, so the instance's memory use is visible here.
    Object.defineProperty(memory, 'grow', {
      value: (pages: number): number => {
        if (sandbox && memory.buffer.byteLength + pages * PAGE_BYTES > sandbox.softCapBytes) sandbox.exhausted = true;
        try {
          return grow(pages);
        } catch (error) {
          if (sandbox) sandbox.exhausted = true;
          throw error;
        }
      },
    });
    const quickjs = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
    sandbox = new SandboxModule(quickjs, memory);
    sandbox.fillWithBallast();
    sandbox.softCapBytes = memory.buffer.byteLength + memoryBytes;
    return sandbox;
  }

  /** Occupies the free initial heap until the first growth, so that later growth measures what runs use. */
  private fillWithBallast(): void {
    const runtime = this.quickjs.newRuntime();
    const context = runtime.newContext();
    const chunk = new ArrayBuffer(BALLAST_CHUNK_BYTES);
    const initialBytes = this.memory.buffer.byteLength;
    for (let i = 0; i < MAX_BALLAST_CHUNKS && this.memory.buffer.byteLength === initialBytes; i++) {
      context.newArrayBuffer(chunk); // deliberately never disposed
    }
    this.ballast = runtime;
  }

  /** A retired instance serves no further runs. */
  get retired(): boolean {
    return this.exhausted || this.broken;
  }
}
