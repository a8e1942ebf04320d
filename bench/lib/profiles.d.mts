export interface FrameShare {
  name: string;
  share: string;
}
export function topNodeFrames(
  profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>; samples: number[]; timeDeltas: number[] },
  count?: number,
  keep?: (name: string) => boolean,
): FrameShare[];
export function topHostFrames(
  file: { shared: { frames: Array<{ name: string }> }; profiles: Array<{ startValue: number; events: Array<{ type: 'O' | 'C'; frame: number; at: number }> }> },
  count?: number,
  keep?: (name: string) => boolean,
): FrameShare[];
export function projectFrame(name: string): boolean;
export function powershellFrame(name: string): boolean;
export function selfTimes(
  profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] },
  count?: number,
): Array<{ name: string; ms: number }>;
