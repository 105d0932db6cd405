/** A list requests draw from while it changes: the first ids stay, the ones added rotate (the latest 20). */
export class LivePool {
  readonly list: string[];
  private readonly added: string[] = [];

  constructor(
    private readonly mine: string[],
    private readonly theirs: string[],
  ) {
    this.list = [...mine, ...theirs];
  }

  add(id: string) {
    if (this.list.includes(id)) return;
    this.added.push(id);
    if (this.added.length > 20) this.added.shift();
    // In place: the arbitraries hold this very array.
    this.list.splice(0, this.list.length, ...this.mine, ...this.added, ...this.theirs);
  }
}
