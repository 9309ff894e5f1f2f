// SQL files are imported as text (`with { type: "text" }`) so migrations ship inside the binary.
declare module "*.sql" {
  const text: string;
  export default text;
}
