/** The part of autocannon 9's programmatic API that `npm run bench:load` uses; the package ships no types. */
declare module "autocannon" {
  type Histogram = { average: number; min: number; max: number; p50: number; p90: number; p99: number; total: number };

  export type AutocannonRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string };

  export type AutocannonClient = { setRequests(requests: AutocannonRequest[]): void };

  export type AutocannonOptions = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    setupClient?: (client: AutocannonClient) => void;
  };

  export type AutocannonResult = {
    start: Date;
    finish: Date;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    statusCodeStats: Record<string, { count: number }>;
    /** Milliseconds. */
    latency: Histogram;
    requests: Histogram & { sent: number };
  };

  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}
